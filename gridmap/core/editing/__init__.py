"""Editing grids: pure geometry operations, topology, snapping and undoable commands."""
