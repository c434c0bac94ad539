"""File-dialog filters of the main window."""

VECTOR_FILTER = "Vector (*.shp *.gpkg *.geojson *.json *.kml *.dxf *.gml *.fgb *.tab *.mif *.csv);;All files (*)"
RASTER_FILTER = "Raster (*.tif *.tiff *.img *.jp2 *.png *.jpg *.vrt *.ecw);;All files (*)"
