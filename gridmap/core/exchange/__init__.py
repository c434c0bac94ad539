"""Exchange: import and export that survive Chinese encodings, CRSs and Excel.

Modules, one concept each (none imports Qt):

- :mod:`.encoding`  detect the text encoding of a .dbf without .cpg (UTF-8, GBK/GB18030, Big5)
- :mod:`.prj`       Esri WKT ↔ EPSG for CGCS2000 / Beijing 1954 / Xian 1980 Gauss-Krüger zones;
                    a CRS guess from coordinate ranges for files without .prj
- :mod:`.readers`   read shapefile (also zipped), GeoPackage, GeoJSON, KML/KMZ, DXF, CSV/XLSX
- :mod:`.as_plan`   turn any polygon layer into a plan with a field mapping
- :mod:`.shapefile` plan → shapefiles (Esri .prj, .cpg, ≤10-character field names + field map)
- :mod:`.formats`   plan → GeoPackage, GeoJSON (RFC 7946), KML, DXF
- :mod:`.tables`    official annex tables (网格划分表, 基本情况统计表, 人员名单, 路段分工表) as XLSX/CSV
- :mod:`.roster`    people/units from XLSX/CSV joined to grids by code or name
- :mod:`.registry`  export format name → function, shared with the map/atlas outputs
"""

from __future__ import annotations

__all__ = ["ExchangeError"]


class ExchangeError(ValueError):
    """A file could not be imported or exported; the message names the file and the problem."""
