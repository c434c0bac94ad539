<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
    <context>
        <name>ColorButton</name>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="26" />
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="30" />
            <source>Choose colour</source>
            <translation>选择颜色</translation>
        </message>
    </context>
    <context>
        <name>GridInspector</name>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="51" />
            <source>No grid selected. Click a grid on the map (Shift-click adds).</source>
            <translation>未选择网格。在地图上点击网格（Shift+点击可多选）。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/inspector.py" line="56" />
            <source>%n grid(s) selected; showing the first.</source>
            <translation>
                <numerusform>已选择 %n 个网格，显示第一个。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="58" />
            <source>Grid %1</source>
            <translation>网格 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="66" />
            <source>Attributes</source>
            <translation>属性</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="68" />
            <source>Code</source>
            <translation>编码</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="69" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="70" />
            <source>Level</source>
            <translation>层级</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="71" />
            <source>Parent grid</source>
            <translation>上级网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="72" />
            <source>Area</source>
            <translation>面积</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="72" />
            <source>%1 m² (%2 km²)</source>
            <translation>%1 平方米（%2 平方公里）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="73" />
            <source>Valid from</source>
            <translation>生效日期</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="74" />
            <source>Valid to</source>
            <translation>失效日期</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="75" />
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="76" />
            <source>Id</source>
            <translation>编号</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="80" />
            <source>Responsibilities</source>
            <translation>责任分工</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="83" />
            <source>(none assigned)</source>
            <translation>（未分配）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="99" />
            <source>Duty</source>
            <translation>职责</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="102" />
            <source>Child grids</source>
            <translation>下级网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="105" />
            <source>Road segments</source>
            <translation>责任路段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="106" />
            <source>Places</source>
            <translation>重点场所</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="128" />
            <source>Field</source>
            <translation>字段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="128" />
            <source>Value</source>
            <translation>值</translation>
        </message>
    </context>
    <context>
        <name>LayerPanel</name>
        <message>
            <location filename="../../gridmap/ui/layer_panel.py" line="211" />
            <source>Plan layers</source>
            <translation>方案图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_panel.py" line="212" />
            <source>Base maps</source>
            <translation>底图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_panel.py" line="213" />
            <source>Opacity</source>
            <translation>不透明度</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_panel.py" line="214" />
            <source>Style…</source>
            <translation>样式…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_panel.py" line="215" />
            <source>Remove</source>
            <translation>移除</translation>
        </message>
    </context>
    <context>
        <name>LayerStyleDialog</name>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="41" />
            <source>Style of %1</source>
            <translation>%1 的样式</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="46" />
            <source>No fill</source>
            <translation>无填充</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="64" />
            <source>Outline colour</source>
            <translation>边线颜色</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="65" />
            <source>Line width (px)</source>
            <translation>线宽（像素）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="66" />
            <source>Fill colour</source>
            <translation>填充颜色</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="68" />
            <source>Fill opacity</source>
            <translation>填充不透明度</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="69" />
            <source>Labels by field</source>
            <translation>标注字段</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="261" />
            <source>&amp;New plan…</source>
            <translation>新建方案(&amp;N)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="261" />
            <source>&amp;Open…</source>
            <translation>打开(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="261" />
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="261" />
            <source>Save &amp;As…</source>
            <translation>另存为(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="262" />
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="262" />
            <source>Add &amp;vector layer…</source>
            <translation>添加矢量图层(&amp;V)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="262" />
            <source>Add &amp;raster layer…</source>
            <translation>添加栅格图层(&amp;R)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="263" />
            <source>Add &amp;tile base map…</source>
            <translation>添加瓦片底图(&amp;T)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="263" />
            <source>Add &amp;MBTiles file…</source>
            <translation>添加 MBTiles 文件(&amp;M)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="264" />
            <source>Zoom &amp;in</source>
            <translation>放大(&amp;I)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="264" />
            <source>Zoom &amp;out</source>
            <translation>缩小(&amp;O)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="264" />
            <source>Zoom &amp;full</source>
            <translation>全图(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="265" />
            <source>Zoom to &amp;layer</source>
            <translation>缩放到图层(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="265" />
            <source>Zoom to &amp;selection</source>
            <translation>缩放到选择(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="266" />
            <source>&amp;Refresh</source>
            <translation>刷新(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="266" />
            <source>Show &amp;labels</source>
            <translation>显示标注(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="266" />
            <source>&amp;Pan</source>
            <translation>平移(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="267" />
            <source>&amp;Zoom box</source>
            <translation>拉框缩放(&amp;Z)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="267" />
            <source>&amp;Identify and select</source>
            <translation>识别与选择(&amp;I)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="267" />
            <source>&amp;Deselect all</source>
            <translation>取消全部选择(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="268" />
            <source>Run &amp;checks</source>
            <translation>运行检查(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="268" />
            <source>Export map &amp;image…</source>
            <translation>导出地图图片(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="269" />
            <source>Export &amp;plan…</source>
            <translation>导出方案(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="269" />
            <source>&amp;About gridmap</source>
            <translation>关于 gridmap(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="276" />
            <source>&amp;Project</source>
            <translation>项目(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="276" />
            <source>&amp;Layers</source>
            <translation>图层(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="276" />
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="277" />
            <source>&amp;Tools</source>
            <translation>工具(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="277" />
            <source>&amp;Checks</source>
            <translation>检查(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="277" />
            <source>&amp;Export</source>
            <translation>导出(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="278" />
            <source>&amp;Settings</source>
            <translation>设置(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="278" />
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="280" />
            <source>Open &amp;recent</source>
            <translation>最近打开(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="281" />
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="282" />
            <source>&amp;Panels</source>
            <translation>面板(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="283" />
            <source>Main toolbar</source>
            <translation>主工具栏</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="284" />
            <source>Grid code or name…</source>
            <translation>网格编码或名称…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="285" />
            <source>Layers</source>
            <translation>图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="285" />
            <source>Overview</source>
            <translation>鹰眼图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="285" />
            <source>Grid inspector</source>
            <translation>网格信息</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="286" />
            <source>Problems</source>
            <translation>问题列表</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="318" />
            <source>Jurisdiction</source>
            <translation>辖区范围</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="320" />
            <source>Road segments</source>
            <translation>责任路段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="322" />
            <source>Places</source>
            <translation>重点场所</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="373" />
            <source>Untitled</source>
            <translation>未命名</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="381" />
            <source>Opening %1…</source>
            <translation>正在打开 %1…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="388" />
            <source>Opened %1</source>
            <translation>已打开 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="394" />
            <source>Cannot open project</source>
            <translation>无法打开项目</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="443" />
            <source>Indexing the plan…</source>
            <translation>正在建立方案索引…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="478" />
            <location filename="../../gridmap/ui/main_window.py" line="728" />
            <source>Layer %1: %2</source>
            <translation>图层 %1：%2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="483" />
            <source>Loading %1…</source>
            <translation>正在加载 %1…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="507" />
            <source>Open plan</source>
            <translation>打开方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="508" />
            <location filename="../../gridmap/ui/main_window.py" line="524" />
            <source>gridmap project (*.gpkg)</source>
            <translation>gridmap 项目 (*.gpkg)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="522" />
            <source>Save plan as</source>
            <translation>方案另存为</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="536" />
            <source>Cannot save</source>
            <translation>无法保存</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="539" />
            <source>Saved %1</source>
            <translation>已保存 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="589" />
            <source>Draw the jurisdiction: click the corners, double-click to finish, Esc to cancel.</source>
            <translation>绘制辖区范围：依次点击各拐点，双击结束，Esc 取消。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="607" />
            <source>Unsaved changes</source>
            <translation>未保存的修改</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="608" />
            <source>Save the changes to the plan before closing?</source>
            <translation>关闭前是否保存对方案的修改？</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="632" />
            <source>Tile map</source>
            <translation>瓦片地图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="664" />
            <source>Add vector layer</source>
            <translation>添加矢量图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="671" />
            <source>Choose a layer</source>
            <translation>选择图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="671" />
            <source>Layer:</source>
            <translation>图层：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="688" />
            <source>Add raster layer</source>
            <translation>添加栅格图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="694" />
            <source>Add MBTiles file</source>
            <translation>添加 MBTiles 文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="722" />
            <source>Tiles: offline, showing cached tiles only (%1)</source>
            <translation>瓦片：网络不可用，仅显示已缓存的瓦片（%1）</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/main_window.py" line="846" />
            <source>%n grid(s) selected</source>
            <translation>
                <numerusform>已选择 %n 个网格</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="867" />
            <source>No grid matches “%1”</source>
            <translation>没有与“%1”匹配的网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="882" />
            <source>The checks module is not available in this build.</source>
            <translation>此版本未包含检查模块。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="888" />
            <source>The checks module has no check_plan().</source>
            <translation>检查模块缺少 check_plan()。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="906" />
            <source>Running checks…</source>
            <translation>正在运行检查…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="907" />
            <source>Checks failed: %1</source>
            <translation>检查失败：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="922" />
            <source>Export map image</source>
            <translation>导出地图图片</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="934" />
            <source>Exported %1</source>
            <translation>已导出 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="934" />
            <source>Cannot write %1</source>
            <translation>无法写入 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="944" />
            <location filename="../../gridmap/ui/main_window.py" line="952" />
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="945" />
            <source>Use the command line: gridmap export PROJECT.gpkg --help</source>
            <translation>请使用命令行：gridmap export 项目.gpkg --help</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="947" />
            <source>Export plan to folder</source>
            <translation>导出方案到文件夹</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="950" />
            <source>Exporting…</source>
            <translation>正在导出…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="951" />
            <source>Exported to %1</source>
            <translation>已导出到 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="955" />
            <source>About gridmap</source>
            <translation>关于 gridmap</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="956" />
            <source>&lt;b&gt;gridmap %1&lt;/b&gt;&lt;br&gt;Desktop GIS for urban grid management (城市网格化管理).&lt;br&gt;&lt;br&gt;Sample base map: © OpenStreetMap contributors, ODbL.</source>
            <translation>&lt;b&gt;gridmap %1&lt;/b&gt;&lt;br&gt;城市网格化管理桌面 GIS。&lt;br&gt;&lt;br&gt;示例底图：© OpenStreetMap contributors，ODbL 许可。</translation>
        </message>
    </context>
    <context>
        <name>MapStatusBar</name>
        <message>
            <location filename="../../gridmap/ui/statusbar.py" line="118" />
            <source>Scale</source>
            <translation>比例尺</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/statusbar.py" line="119" />
            <source>Cancel the running job</source>
            <translation>取消正在运行的任务</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/statusbar.py" line="120" />
            <source>Cursor position in the project CRS</source>
            <translation>光标位置（项目坐标系）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/statusbar.py" line="121" />
            <source>Cursor position as longitude/latitude (CGCS2000)</source>
            <translation>光标位置（经纬度，CGCS2000）</translation>
        </message>
    </context>
    <context>
        <name>NewPlanWizard</name>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="159" />
            <source>New plan</source>
            <translation>新建方案</translation>
        </message>
    </context>
    <context>
        <name>ProblemsPanel</name>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="122" />
            <source>Error</source>
            <translation>错误</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="122" />
            <source>Warning</source>
            <translation>警告</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="122" />
            <source>Info</source>
            <translation>提示</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="131" />
            <source>Checks not run yet.</source>
            <translation>尚未运行检查。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="133" />
            <source>No problems found.</source>
            <translation>未发现问题。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="136" />
            <source>%1 problem(s), %2 error(s)</source>
            <translation>共 %1 个问题，其中 %2 个错误</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="140" />
            <source>Run checks</source>
            <translation>运行检查</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="141" />
            <source>Severity</source>
            <translation>级别</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="141" />
            <source>Check</source>
            <translation>检查项</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="141" />
            <source>Grids</source>
            <translation>网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="142" />
            <source>Message</source>
            <translation>说明</translation>
        </message>
    </context>
    <context>
        <name>TileSourceDialog</name>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="92" />
            <source>Add tile base map</source>
            <translation>添加瓦片底图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="96" />
            <source>Custom URL template</source>
            <translation>自定义 URL 模板</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="101" />
            <source>Tianditu key (tk)</source>
            <translation>天地图密钥 (tk)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="102" />
            <source>Provider uses GCJ-02 (offset, e.g. Amap/Tencent)</source>
            <translation>服务商使用 GCJ-02 坐标（有偏移，如高德、腾讯）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="105" />
            <source>Provider</source>
            <translation>服务商</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="106" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="107" />
            <source>URL template</source>
            <translation>URL 模板</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="108" />
            <source>Subdomains</source>
            <translation>子域名</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="109" />
            <source>Key</source>
            <translation>密钥</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="144" />
            <source>Tile map</source>
            <translation>瓦片地图</translation>
        </message>
    </context>
    <context>
        <name>_JurisdictionPage</name>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="41" />
            <source>Plan and jurisdiction</source>
            <translation>方案与辖区</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="42" />
            <source>New plan</source>
            <translation>新建方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="43" />
            <source>Take a polygon from a layer file</source>
            <translation>从图层文件中选取多边形</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="44" />
            <source>Draw it on the map after this wizard</source>
            <translation>完成向导后在地图上绘制</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="50" />
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="59" />
            <source>Plan name</source>
            <translation>方案名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="72" />
            <source>Layer with the jurisdiction</source>
            <translation>含辖区范围的图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="86" />
            <source>Cannot read %1: %2</source>
            <translation>无法读取 %1：%2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="89" />
            <source>%1 has no polygons.</source>
            <translation>%1 中没有多边形。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="92" />
            <source>%1 polygons.</source>
            <translation>共 %1 个多边形。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="105" />
            <source>Choose a layer file and a polygon, or choose to draw.</source>
            <translation>请选择图层文件和多边形，或选择手工绘制。</translation>
        </message>
    </context>
    <context>
        <name>_OptionsPage</name>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="114" />
            <source>Levels, coordinates and codes</source>
            <translation>层级、坐标系与编码</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="116" />
            <source>Two levels: large grid / small grid</source>
            <translation>两级：大网格 / 小网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="117" />
            <source>Five levels: city / district / street / community / unit grid</source>
            <translation>五级：市 / 区 / 街道 / 社区 / 单元网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="129" />
            <source>Level preset</source>
            <translation>层级预设</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="130" />
            <source>Code scheme</source>
            <translation>编码方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="131" />
            <source>County code (GB/T 2260)</source>
            <translation>区县代码（GB/T 2260）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="132" />
            <source>Coordinate system</source>
            <translation>坐标系</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="141" />
            <source>Suggested from the location: %1</source>
            <translation>根据位置推荐：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="147" />
            <source>Unknown coordinate system: %1</source>
            <translation>未知坐标系：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="151" />
            <source>The county code has 6 digits.</source>
            <translation>区县代码应为 6 位数字。</translation>
        </message>
    </context>
    <context>
        <name>win</name>
        <message>
            <location filename="../../gridmap/ui/app.py" line="52" />
            <source>Sample plan not found (%1). Use Project → Open or New plan.</source>
            <translation>未找到示例方案（%1）。请使用“项目 → 打开”或“新建方案”。</translation>
        </message>
    </context>
</TS>