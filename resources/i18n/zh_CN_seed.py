"""Chinese translations used to (re)fill ``gridmap_zh_CN.ts`` after ``pyside6-lupdate``.

The ``.ts`` file is the source of truth Qt Linguist edits; this table only seeds
messages that are still unfinished.  Run ``python resources/i18n/update.py``.
"""

ZH = {
    # menus
    "&Project": "项目(&P)", "&Layers": "图层(&L)", "&View": "视图(&V)", "&Tools": "工具(&T)",
    "&Checks": "检查(&C)", "&Export": "导出(&E)", "&Settings": "设置(&S)", "&Help": "帮助(&H)",
    "Open &recent": "最近打开(&R)", "&Language": "语言(&L)", "&Panels": "面板(&P)",
    # actions
    "&New plan…": "新建方案(&N)…", "&Open…": "打开(&O)…", "&Save": "保存(&S)", "Save &As…": "另存为(&A)…",
    "&Quit": "退出(&Q)", "Add &vector layer…": "添加矢量图层(&V)…", "Add &raster layer…": "添加栅格图层(&R)…",
    "Add &tile base map…": "添加瓦片底图(&T)…", "Add &MBTiles file…": "添加 MBTiles 文件(&M)…",
    "Zoom &in": "放大(&I)", "Zoom &out": "缩小(&O)", "Zoom &full": "全图(&F)", "Zoom to &layer": "缩放到图层(&L)",
    "Zoom to &selection": "缩放到选择(&S)", "&Refresh": "刷新(&R)", "Show &labels": "显示标注(&L)", "&Pan": "平移(&P)",
    "&Zoom box": "拉框缩放(&Z)", "&Identify and select": "识别与选择(&I)", "&Deselect all": "取消全部选择(&D)",
    "Run &checks": "运行检查(&C)", "Export map &image…": "导出地图图片(&I)…", "Export &plan…": "导出方案(&P)…",
    "&About gridmap": "关于 gridmap(&A)", "Main toolbar": "主工具栏", "Grid code or name…": "网格编码或名称…",
    # docks
    "Layers": "图层", "Overview": "鹰眼图", "Grid inspector": "网格信息", "Problems": "问题列表",
    "Plan layers": "方案图层", "Base maps": "底图", "Opacity": "不透明度", "Style…": "样式…", "Remove": "移除",
    "Jurisdiction": "辖区范围", "Road segments": "责任路段", "Places": "重点场所",
    # inspector
    "No grid selected. Click a grid on the map (Shift-click adds).": "未选择网格。在地图上点击网格（Shift+点击可多选）。",
    "%n grid(s) selected; showing the first.": "已选择 %n 个网格，显示第一个。",
    "Grid %1": "网格 %1", "Attributes": "属性", "Code": "编码", "Name": "名称", "Level": "层级", "Parent grid": "上级网格",
    "Area": "面积", "%1 m² (%2 km²)": "%1 平方米（%2 平方公里）", "Valid from": "生效日期", "Valid to": "失效日期",
    "Notes": "备注", "Id": "编号", "Responsibilities": "责任分工", "(none assigned)": "（未分配）", "Duty": "职责",
    "Child grids": "下级网格", "Field": "字段", "Value": "值",
    # problems
    "Error": "错误", "Warning": "警告", "Info": "提示", "Checks not run yet.": "尚未运行检查。",
    "No problems found.": "未发现问题。", "%1 problem(s), %2 error(s)": "共 %1 个问题，其中 %2 个错误",
    "Run checks": "运行检查", "Severity": "级别", "Check": "检查项", "Grids": "网格", "Message": "说明",
    # status bar
    "Scale": "比例尺", "Cancel the running job": "取消正在运行的任务",
    "Cursor position in the project CRS": "光标位置（项目坐标系）",
    "Cursor position as longitude/latitude (CGCS2000)": "光标位置（经纬度，CGCS2000）",
    # main window messages
    "Untitled": "未命名", "Opening %1…": "正在打开 %1…", "Opened %1": "已打开 %1", "Cannot open project": "无法打开项目",
    "Loading %1…": "正在加载 %1…", "Indexing the plan…": "正在建立方案索引…", "Layer %1: %2": "图层 %1：%2", "Open plan": "打开方案",
    "gridmap project (*.gpkg)": "gridmap 项目 (*.gpkg)", "Save plan as": "方案另存为", "Cannot save": "无法保存",
    "Saved %1": "已保存 %1", "Draw the jurisdiction: click the corners, double-click to finish, Esc to cancel.":
        "绘制辖区范围：依次点击各拐点，双击结束，Esc 取消。",
    "Unsaved changes": "未保存的修改", "Save the changes to the plan before closing?": "关闭前是否保存对方案的修改？",
    "Tile map": "瓦片地图", "Add vector layer": "添加矢量图层", "Choose a layer": "选择图层", "Layer:": "图层：",
    "Add raster layer": "添加栅格图层", "Add MBTiles file": "添加 MBTiles 文件",
    "Tiles: offline, showing cached tiles only (%1)": "瓦片：网络不可用，仅显示已缓存的瓦片（%1）",
    "%n grid(s) selected": "已选择 %n 个网格", "No grid matches “%1”": "没有与“%1”匹配的网格",
    "The checks module is not available in this build.": "此版本未包含检查模块。",
    "The checks module has no check_plan().": "检查模块缺少 check_plan()。",
    "Running checks…": "正在运行检查…", "Checks failed: %1": "检查失败：%1", "Export map image": "导出地图图片",
    "Exported %1": "已导出 %1", "Cannot write %1": "无法写入 %1", "Export": "导出",
    "Use the command line: gridmap export PROJECT.gpkg --help": "请使用命令行：gridmap export 项目.gpkg --help",
    "Export plan to folder": "导出方案到文件夹", "Exporting…": "正在导出…", "Exported to %1": "已导出到 %1",
    "About gridmap": "关于 gridmap",
    "<b>gridmap %1</b><br>Desktop GIS for urban grid management (城市网格化管理).<br><br>"
    "Sample base map: © OpenStreetMap contributors, ODbL.":
        "<b>gridmap %1</b><br>城市网格化管理桌面 GIS。<br><br>示例底图：© OpenStreetMap contributors，ODbL 许可。",
    "Sample plan not found (%1). Use Project → Open or New plan.": "未找到示例方案（%1）。请使用“项目 → 打开”或“新建方案”。",
    # dialogs
    "none": "无", "Choose colour": "选择颜色", "Style of %1": "%1 的样式", "No fill": "无填充",
    "Outline colour": "边线颜色", "Line width (px)": "线宽（像素）", "Fill colour": "填充颜色", "Fill opacity": "填充不透明度",
    "Labels by field": "标注字段", "Add tile base map": "添加瓦片底图", "Custom URL template": "自定义 URL 模板",
    "Tianditu key (tk)": "天地图密钥 (tk)", "Provider uses GCJ-02 (offset, e.g. Amap/Tencent)":
        "服务商使用 GCJ-02 坐标（有偏移，如高德、腾讯）",
    "Provider": "服务商", "URL template": "URL 模板", "Subdomains": "子域名", "Key": "密钥",
    # wizard
    "Plan and jurisdiction": "方案与辖区", "New plan": "新建方案", "Take a polygon from a layer file": "从图层文件中选取多边形",
    "Draw it on the map after this wizard": "完成向导后在地图上绘制", "Browse…": "浏览…", "Plan name": "方案名称",
    "Layer with the jurisdiction": "含辖区范围的图层", "Cannot read %1: %2": "无法读取 %1：%2",
    "%1 has no polygons.": "%1 中没有多边形。", "%1 polygons.": "共 %1 个多边形。",
    "Choose a layer file and a polygon, or choose to draw.": "请选择图层文件和多边形，或选择手工绘制。",
    "Levels, coordinates and codes": "层级、坐标系与编码", "Two levels: large grid / small grid": "两级：大网格 / 小网格",
    "Five levels: city / district / street / community / unit grid": "五级：市 / 区 / 街道 / 社区 / 单元网格",
    "Level preset": "层级预设", "Code scheme": "编码方案", "County code (GB/T 2260)": "区县代码（GB/T 2260）",
    "Coordinate system": "坐标系", "Suggested from the location: %1": "根据位置推荐：%1",
    "Unknown coordinate system: %1": "未知坐标系：%1", "The county code has 6 digits.": "区县代码应为 6 位数字。",
}
