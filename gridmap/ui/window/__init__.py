"""The main window, one concern per module; :class:`gridmap.ui.main_window.MainWindow` mixes them in."""
