"""Chinese translations used to (re)fill ``gridmap_zh_CN.ts`` after ``pyside6-lupdate``.

The ``.ts`` file is the source of truth Qt Linguist edits; this table only seeds
messages that are still unfinished.  Run ``python resources/i18n/update.py``.
"""

ZH = {
    # identify and measure
    "Identify &features (all layers)": "识别要素（所有图层）(&F)", "Measure &distance": "测量距离(&D)",
    "Measure &area": "测量面积(&A)", "Identify results": "识别结果", "Feature": "要素",
    "Choose Tools → Identify features and click the map: every visible layer, base maps included, lists what lies under the click.":
        "选择“工具 → 识别要素”后点击地图：所有可见图层（含底图）在点击处的要素都会列在这里。",
    "%n feature(s) under the click": "点击处有 %n 个要素", "%n feature(s)": "%n 个要素",
    "Click at least three points": "请至少点击三个点", "Area %1, perimeter %2": "面积 %1，周长 %2",
    "Click the first point": "请点击起点", "Length %1 (last segment %2)": "长度 %1（末段 %2）", " (geodesic)": "（椭球面测量）",
    "Identify: click the map to list the features of every visible layer under the click.":
        "识别：点击地图，列出所有可见图层在点击处的要素。",
    "Measure distance: click points, right-click or double-click ends, Esc clears.":
        "测量距离：依次点击各点，右键或双击结束，Esc 清除。",
    "Measure area: click the corners, right-click or double-click ends, Esc clears.":
        "测量面积：依次点击各角点，右键或双击结束，Esc 清除。",
    # import dialog: layers and encodings
    "points": "点", "lines": "线", "polygons": "面", "table, no geometry": "表格，无几何", "mixed geometry": "混合几何",
    "%1 (%2, %n feature(s))": "%1（%2，%n 个要素）", "UTF-8 (Unicode)": "UTF-8（通用编码）",
    "GBK (Simplified Chinese)": "GBK（简体中文）", "GB18030 (Simplified Chinese)": "GB18030（简体中文）",
    "Big5 (Traditional Chinese)": "Big5（繁体中文）", "Big5-HKSCS (Hong Kong)": "Big5-HKSCS（香港）",
    "CP950 (Traditional Chinese)": "CP950（繁体中文）",
    # Qt's own file dialog (missing from qtbase_zh_CN for Qt 6)
    "&Look in:": "查找范围(&L)：", "Files of &type:": "文件类型(&T)：",
    "Raster files": "栅格文件",
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
    "Saved %1": "已保存 %1",
    "The plan file has changed": "方案文件已被修改",
    "Overwrite it with this window's plan, save this plan under another name, or reload the file (this window's changes are lost)?":
        "用本窗口的方案覆盖它、另存为其他文件，还是重新载入该文件（本窗口的修改将丢失）？",
    "Overwrite": "覆盖", "Save As…": "另存为…", "Reload": "重新载入", "Plan already open": "方案已被打开",
    "%1 is already open by %2 on %3 since %4. It is opened read-only here: Save As keeps your changes in another file. Choose Edit anyway to save into it too (changes saved there are detected; nothing is overwritten without asking).":
        "%1 已由 %2 在 %3 上于 %4 打开，此处以只读方式打开：用“另存为”把您的修改保存到另一个文件。选择“仍然编辑”也可保存到该文件（在那里保存的修改会被发现，未经询问不会覆盖任何内容）。",
    "read-only": "只读", "Edit anyway": "仍然编辑",
    "This plan was opened read-only because another gridmap has it open. Use Save As to keep your changes in another file.":
        "另一个 gridmap 正打开此方案，因此这里以只读方式打开。请用“另存为”把您的修改保存到另一个文件。",
    "Draw the jurisdiction: click the corners, double-click to finish, Esc to cancel.":
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
    # editing (issue 5): tools, undo, guard
    "&Edit": "编辑(&E)", "Editing toolbar": "编辑工具栏", "Level:": "层级：", "Snap to &layers": "捕捉图层(&L)",
    "(no line layers)": "（没有线图层）", "Edit": "编辑", "Summary": "概要", "Undo history": "撤销历史",
    "People and units": "人员与单位", "Segments and places": "路段与场所", "<opened plan>": "<打开的方案>",
    "&Undo %1": "撤销(&U) %1", "&Redo %1": "重做(&R) %1",
    "&Draw grid": "绘制网格(&D)", "&Vertex tool": "顶点工具(&V)", "S&plit grid": "分割网格(&P)",
    "Split grid along a &road": "沿道路分割网格(&R)", "&Reshape grid": "修整网格(&R)", "&Move boundary": "移动边界(&M)",
    "Assign &segments by clicking": "点选分配路段(&S)", "Mer&ge selected grids…": "合并所选网格(&G)…",
    "De&lete selected grids": "删除所选网格(&L)", "Assign &to selected grids…": "批量分配到所选网格(&T)…",
    "Split a road layer into &street segments…": "将道路图层分割为责任路段(&S)…",
    "Load p&laces from a layer…": "从图层导入重点场所(&L)…", "S&napping": "捕捉(&N)",
    "&Tracing (or hold Shift)": "追踪(&T)（或按住 Shift）", "&Avoid overlaps": "避免重叠(&A)",
    "&Fill slivers beside new grids": "新网格填补相邻细缝(&F)", "Top&ological editing": "拓扑编辑(&O)",
    "&Keep a clean coverage (refuse gaps and overlaps)": "保持无缝无叠覆盖(&K)（拒绝产生缝隙和重叠的修改）",
    "Live &checks after each edit": "每次修改后即时检查(&C)", "Draw the jurisdiction": "绘制辖区范围",
    "Draw grid: click the corners, double-click or Enter to finish, Backspace removes the last point, Esc cancels; "
    "hold Shift to trace along roads and boundaries.":
        "绘制网格：依次点击拐点，双击或回车结束，退格删除上一个点，Esc 取消；按住 Shift 可沿道路和边界追踪。",
    "Vertices: drag a vertex to move it, double-click a boundary to add one, click one and press Delete to remove it.":
        "顶点：拖动顶点可移动，双击边界可添加顶点，点选顶点后按 Delete 删除。",
    "Split: draw a line across the grid, double-click or Enter to finish.": "分割：画一条穿过网格的线，双击或回车结束。",
    "Split along a road: click a road of a snapping layer.": "沿道路分割：点击捕捉图层中的一条道路。",
    "Reshape: draw a line from the grid's boundary and back to it.": "修整：从网格边界出发画线，再回到边界。",
    "Move boundary: draw the new boundary across two neighbouring grids.": "移动边界：在两个相邻网格上画出新的边界。",
    "Click street segments to assign them to the grid or officer chosen in the segments panel.":
        "点击路段，将其分配给路段面板中所选的网格或队员。",
    "%1: on duty in %2 grid(s), %3 street segment(s), %4 m of road": "%1：负责 %2 个网格、%3 个路段，共 %4 米道路",
    "Select at least two neighbouring grids to merge (Shift-click).": "请至少选择两个相邻网格再合并（Shift+点击）。",
    "Merge %n grids": "合并 %n 个网格", "Select the grids to delete first.": "请先选择要删除的网格。",
    "Delete %n grid(s)": "删除 %n 个网格", "Select the grids first (Shift-click or drag a box).":
        "请先选择网格（Shift+点击或拉框）。",
    "Assign to %n grid(s)": "分配到 %n 个网格",
    "the edit would make an invalid %1 grid (self-intersecting or degenerate)": "该修改会使%1出现无效几何（自相交或退化）",
    "the edit would make %1 grids overlap": "该修改会使%1之间重叠", "the edit would leave a gap between %1 grids":
        "该修改会在%1之间留下缝隙", "the edit would put %1 grids outside the jurisdiction": "该修改会使%1超出辖区范围",
    "the edit would put part of a %1 grid outside its parent": "该修改会使%1的一部分超出其上级网格",
    "Too few points: click at least %1.": "点数不够：至少点击 %1 个点。", "Draw grid": "绘制网格",
    "Split grid": "分割网格", "Split grid along road": "沿道路分割网格", "Reshape grid": "修整网格",
    "Move boundary": "移动边界", "Move vertex": "移动顶点", "Add vertex": "添加顶点", "Delete vertex": "删除顶点",
    "Start and end the line on the boundary of a grid.": "修整线须从网格边界出发并回到边界。",
    "Draw the new boundary across two neighbouring grids.": "请在两个相邻网格上画出新的边界。",
    "No road here: click a road of a snapping layer.": "此处没有道路：请点击捕捉图层中的道路。",
    "Double-click on a boundary to add a vertex.": "在边界上双击以添加顶点。", "No street segment here.": "此处没有路段。",
    # editing dialogs
    "Merge grids": "合并网格", "The merged grid keeps the code, name and notes of:": "合并后的网格沿用以下网格的编码、名称和备注：",
    "Assign to selected grids": "批量分配到所选网格", "Replace who has this role now": "替换现有的同类职责",
    "Role": "角色", "Person or unit": "人员或单位", "%n grid(s) selected.": "已选择 %n 个网格。",
    # grid form
    "(%n grid(s) selected; editing the first)": "（已选择 %n 个网格，正在编辑第一个）", "(top level)": "（最高层级）",
    "%1 m²; %2 road segment(s), %3 m; %4 place(s)": "%1 平方米；%2 个路段，共 %3 米；%4 个场所", "(none)": "（无）",
    "Does not follow the code pattern %1 (e.g. %2)": "不符合编码规则 %1（例如 %2）", "Another grid has this code":
        "已有其他网格使用此编码", "Code %1 refused: %2": "编码 %1 未被接受：%2", "Set code %1": "设置编码 %1",
    "Set name": "修改名称", "Set notes": "修改备注", "Set parent grid": "修改上级网格", "Set %1": "设置%1",
    "Choose or type a person or unit first.": "请先选择或输入人员、单位。", "Add %1": "添加%1",
    "Remove %n role(s)": "移除 %n 项职责", "Set duty": "修改职责", "Propose a code from the level's pattern":
        "按本层级编码规则生成编码", "Post": "职务", "Phone": "电话", "Add": "添加", "Remove selected": "移除所选",
    "Duty (optional)": "职责（可选）", "Person or unit (type a new name to add one)": "人员或单位（输入新名称即新增）",
    # people and units
    "No unit named %1: add it in the units table first.": "没有名为 %1 的单位：请先在单位表中添加。",
    "Edit person": "修改人员", "Edit unit": "修改单位", "New person": "新人员", "Add person": "添加人员",
    "New unit": "新单位", "Add unit": "添加单位", "Delete %n person(s)": "删除 %n 名人员", "Delete %n unit(s)": "删除 %n 个单位",
    "People": "人员", "Units": "单位", "Unit": "所属单位", "Roles": "角色数", "Grids on duty": "负责网格",
    "Road length (m)": "道路长度（米）", "Kind": "类型", "Search…": "搜索…", "Delete": "删除",
    # segments and places
    "%1 segment(s), %2 km; %3 without grid, %4 without officer": "共 %1 个路段，%2 公里；%3 个未分配网格，%4 个未分配队员",
    "%1 place(s), %2 without grid": "共 %1 个场所，%2 个未分配网格", "(unchanged)": "（不变）", "(nobody)": "（无人）",
    "Add a road layer (lines) as a base map first.": "请先添加道路（线）图层作为底图。",
    "Split %1 into %2 segments": "将 %1 分割为 %2 个路段", "Add a layer of places as a base map first.":
        "请先添加场所图层作为底图。", "Load %1 place(s) from %2": "从 %2 导入 %1 个场所",
    "Choose the grid or officer to assign to first.": "请先选择要分配给的网格或队员。", "Assign %n segment(s)": "分配 %n 个路段",
    "Street segments from a road layer": "由道路图层生成责任路段", "Road layer": "道路图层", "Name field": "名称字段",
    "Split roads at grid boundaries": "按网格边界分割道路", "Assign segments (队员管段)": "分配路段（队员管段）",
    "To grid": "分配给网格", "To officer": "分配给队员", "Assign by clicking on the map": "在地图上点选分配",
    "Assign selected rows": "分配所选行", "Road": "道路", "Grid": "网格", "Officer": "队员", "Length (m)": "长度（米）",
    "Places from a layer": "从图层导入场所", "Layer": "图层", "Kind field or text": "类型字段或文字",
    "Load places and assign them to grids": "导入场所并分配到网格",
    "Editing &options…": "编辑选项(&O)…", "Editing options": "编辑选项", "Snap within": "捕捉距离",
    "Fill slivers narrower than": "填补宽度小于此值的细缝",
    "The edit failed: %1": "修改失败：%1",
    # import dialog and print layout dialog (added by the editing work so every UI string has
    # Chinese; the owners of import_dialog.py / layout_dialog.py may want to review them)
    "Import %s": "导入 %s", "As a base layer": "作为底图", "As grids of a level": "作为某一层级的网格",
    "Text encoding": "文字编码", "Source": "来源", "Code field": "编码字段", "Parent field (code or name)":
        "上级字段（编码或名称）", "Notes field": "备注字段", "Import": "导入", "%s (detected)": "%s（自动识别）",
    "as stored in the file": "按文件中的原样", "%s (from the file)": "%s（取自文件）",
    "%s (guessed — please confirm)": "%s（推测——请确认）", "Preview: %s": "预览：%s",
    "Print layout": "打印版式", "Annex map (PDF, vector)": "附图（PDF，矢量）", "Annex map (PNG)": "附图（PNG）",
    "Annex map (TIFF)": "附图（TIFF）", "Map book, one page per grid (PDF)": "分网格图册，每个网格一页（PDF）",
    "Word annex (DOCX)": "Word 附件（DOCX）", "Web map (HTML, works offline)": "网页地图（HTML，可离线使用）",
    "Landscape": "横向", "Locator inset": "位置示意图", "Output": "输出", "Paper": "纸张", "Annex label": "附件编号",
    "Title": "标题", "Subtitle": "副标题", "Issuing unit": "编制单位", "Date": "日期", "Resolution (dpi)": "分辨率（dpi）",
    "Preparing preview…": "正在准备预览…", "Export…": "导出…",
    "Page layout": "版式", "Official document (GB/T 9704 margins)": "公文版式（GB/T 9704 页边距）",
    "Full page (to the edges)": "满幅（接近纸边）",
    "The web map has no page: export it and open it in a browser.": "网页地图没有版面：请导出后在浏览器中打开。",
    "Drawing preview…": "正在绘制预览…", "Preview failed: %s": "预览失败：%s",
    "Preview of the page as it will print.": "页面的打印效果预览。", "Exporting %s…": "正在导出 %s…",
    "Export failed: %s": "导出失败：%s", "Written: %s": "已写入：%s",
    "&Print layout (annex map, map book, Word, web map)…": "打印版面（示意图、图册、Word 附件、网页地图）(&P)…",
    "&Import file (base layer or grids)…": "导入文件（底图或网格）(&I)…",
    "Export plan": "导出方案", "Format:": "格式：", "Import file": "导入文件", "Import grids": "导入网格",
    # base maps as undo steps (layer manager)
    "Add base map %1": "添加底图 %1", "Remove base map %1": "移除底图 %1", "Show %1": "显示底图 %1",
    "Hide %1": "隐藏底图 %1", "Reorder base maps": "调整底图顺序", "Opacity of %1": "%1 的不透明度",
    # fixes in the problems list (ui/fix_panel.py)
    "Fix:": "修复：", "Preview": "预览", "Apply fix": "应用修复", "Cancel preview": "取消预览",
    "Fix all of this kind…": "全部修复此类问题…", "Fix all of this kind": "全部修复此类问题",
    "Show on the map what the fix would change; nothing changes yet": "在地图上显示修复将作的修改；此时不会改动方案",
    "Apply the previewed fix as one undo step (Ctrl+Z undoes it)": "应用预览中的修复，作为一个可撤销步骤（Ctrl+Z 撤销）",
    "Select a problem to see its fixes.": "选择一个问题以查看可用的修复。",
    "This problem has no automatic fix.": "此问题没有自动修复。", "Cannot apply this fix: %1": "无法应用此修复：%1",
    "Preview: %1 changes %n grid(s) and removes %2 problem(s). Apply it, or cancel the preview.":
        "预览：“%1”将修改 %n 个网格，消除 %2 个问题。请应用修复或取消预览。",
    "Fixed: %1 (Ctrl+Z undoes it).": "已修复：%1（Ctrl+Z 撤销）。",
    "No %1 problem can be fixed automatically. %2": "没有可自动修复的“%1”问题。%2",
    "Fix %1 of %2 %3 problem(s)? %4 grid(s) change; it is one step, Ctrl+Z undoes it.":
        "修复 %2 个“%3”问题中的 %1 个？将修改 %4 个网格；作为一步执行，可用 Ctrl+Z 撤销。",
    "Left as they are: %1": "保持原样：%1", "Fix %1": "修复 %1 个", "Cancel": "取消",
    "Fixed %1 %2 problem(s) in one step (Ctrl+Z undoes it).": "已一步修复 %1 个“%2”问题（Ctrl+Z 撤销）。",
    "Nothing was changed.": "未做任何修改。", "Preview: %1": "预览：%1",
    "The plan changed: preview the fix again.": "方案已改动：请重新预览修复。",
    "%n fix(es) for this problem: choose one and preview it on the map.": "此问题有 %n 种修复方式：选择一种，先在地图上预览。",
    # new plan wizard (jurisdiction search, datum, level names)
    "Search by name or administrative code (e.g. 翁源 or 440229)": "按名称或行政区划代码查找（如 翁源 或 440229）",
    "Find": "查找", "Vector files": "矢量文件", "All files": "所有文件", "no layer": "没有图层",
    "%1 grid plan": "%1网格划分方案", "Level names": "层级名称",
    "The names of the levels, top first, separated by /": "各层级名称，自上而下，用“/”分隔",
    "Keep the base maps of the current plan": "沿用当前方案的底图",
    "The coordinates are probably GCJ-02 (Amap/Tencent): they will be converted to CGCS2000 (about 300–600 m). "
    "Choose another datum if you know better.":
        "坐标很可能是 GCJ-02（高德/腾讯火星坐标）：将转换为 CGCS2000（约偏移 300–600 米）。如确知不是，请选择其他坐标系。",
    "The coordinates are probably BD-09 (Baidu): they will be converted to CGCS2000. "
    "Choose another datum if you know better.":
        "坐标很可能是 BD-09（百度坐标）：将转换为 CGCS2000。如确知不是，请选择其他坐标系。",
    "GCJ-02 (Amap/Tencent), converted to CGCS2000": "GCJ-02（高德/腾讯），转换为 CGCS2000",
    "BD-09 (Baidu), converted to CGCS2000": "BD-09（百度），转换为 CGCS2000",
    # export dialog
    "Shapefiles (one per layer, with .prj and .cpg)": "Shapefile（每个图层一个，含 .prj 和 .cpg）",
    "Annex tables (Excel .xlsx)": "附件表格（Excel .xlsx）", "Annex tables (CSV)": "附件表格（CSV）",
    "GeoPackage (one file, for QGIS)": "GeoPackage（单个文件，供 QGIS 使用）",
    "GeoJSON (web platforms)": "GeoJSON（网页平台）", "KML (Google Earth / 奥维)": "KML（谷歌地球 / 奥维）",
    "DXF (CAD drawings)": "DXF（CAD 图纸）", "Folder": "文件夹", "File name": "文件名",
    "Formats": "格式", "UTF-8 (recommended)": "UTF-8（推荐）",
    "GBK (older platforms, ArcGIS 10.x)": "GBK（较旧的平台、ArcGIS 10.x）",
    "Pack the shapefiles into one .zip": "将 Shapefile 打包为一个 .zip",
    "The plan's: %1": "方案坐标系：%1", "CGCS2000 longitude/latitude (EPSG:4490)": "CGCS2000 经纬度（EPSG:4490）",
    "WGS84 longitude/latitude (EPSG:4326)": "WGS84 经纬度（EPSG:4326）",
    "GCJ-02 (Amap/Tencent base maps)": "GCJ-02（高德/腾讯底图）", "BD-09 (Baidu base maps)": "BD-09（百度底图）",
    "Shapefile text encoding": "Shapefile 文字编码", "Options": "选项", "Annex tables": "附件表格",
    "Export to folder": "导出到文件夹", "Choose a folder.": "请选择文件夹。",
    "Choose at least one annex table.": "请至少选择一个附件表格。",
    "These already exist in the folder and will be replaced:\n%1": "文件夹中已有以下文件，将被替换：\n%1",
    "Nothing was exported: choose another folder or file name.": "未导出任何内容：请选择其他文件夹或文件名。",
    "Cancelling after the current format…": "当前格式完成后取消…",
    "Exported %1 file(s) to %2.": "已导出 %1 个文件到 %2。", "Export finished": "导出完成",
    "Open folder": "打开文件夹", "Export failed: %1": "导出失败：%1",
    "Export cancelled; the formats finished before stay in the folder.": "导出已取消；已完成的格式保留在文件夹中。",
    # attribute table (属性表)
    "Open &attribute table": "打开属性表(&A)", "Attribute table": "属性表", "Area (m²)": "面积（平方米）",
    "People on duty": "责任人员", "From": "起点", "To": "终点", "Address": "地址", "Street segments": "街巷路段",
    "%1 of %2 shown": "显示 %1 条，共 %2 条", "another grid has this code": "已有其他网格使用该编码",
    "it does not follow the code pattern": "不符合编码规则", "Filter: text in any column…": "筛选：任意列中的文字…",
    "Only selected": "仅显示选中项",
    # shared plan on a server (#15)
    "Shared plan on a &server…": "服务器上的共享方案(&S)…", "Shared plan on a server": "服务器上的共享方案",
    "Server address": "服务器地址", "Connect": "连接", "Open the shared plan": "打开共享方案",
    "Publish the current plan": "上传当前方案", "Planner": "规划人员", "Area (grid code)": "负责区域（网格编码）",
    "Grid name": "网格名称", "Who holds which area": "各人负责的区域",
    "Connected: %1, %2 grid(s)": "已连接：%1，共 %2 个网格", "Published %1 grid(s)": "已上传 %1 个网格",
    # after a split (#12)
    "The new grid(s) %1 have no people yet. Give them the people of the grid they were split from?":
        "新网格 %1 还没有人员。沿用原网格的人员吗？",
    "Carry the people over": "沿用人员",
}
