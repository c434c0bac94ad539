"""gridmap — 城市网格化管理桌面 GIS."""
__version__ = "0.1.0"
