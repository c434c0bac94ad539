<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AssessmentDialog</name>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="45" />
            <source>Assessment and work ledger</source>
            <translation>考核与工作台账</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="59" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="90" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="187" />
            <source>Assessment</source>
            <translation>考核</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="101" />
            <source>Monthly check</source>
            <translation>月度检查</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="102" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="289" />
            <source>Year-end check</source>
            <translation>年终检查</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="105" />
            <source>%1 month</source>
            <translation>%1月</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="114" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="239" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="444" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="540" />
            <source>Year</source>
            <translation>年份</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="114" />
            <source>Check</source>
            <translation>检查项</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="114" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="236" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="239" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="444" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="540" />
            <source>Month</source>
            <translation>月份</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="127" />
            <source>Record scores</source>
            <translation>录入得分</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="128" />
            <source>Import score sheet (XLSX)…</source>
            <translation>导入考核评分表（XLSX）…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="129" />
            <source>Export blank score sheet (XLSX)…</source>
            <translation>导出考核评分表（XLSX）…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="139" />
            <source>Scores</source>
            <translation>评分</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="152" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="286" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="324" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="579" />
            <source>Grid code</source>
            <translation>网格编号</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="152" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="286" />
            <source>Grid name</source>
            <translation>网格名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="153" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="287" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="580" />
            <source>Total</source>
            <translation>合计</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="188" />
            <source>Scores of %1 are already recorded. Replace them?</source>
            <translation>%1 的得分已录入，要替换吗？</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="195" />
            <source>Import score sheet</source>
            <translation>导入考核评分表</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="214" />
            <source>Import scores</source>
            <translation>导入考核得分</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="218" />
            <source>Export blank score sheet</source>
            <translation>导出考核评分表</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="227" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="344" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="354" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="532" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="609" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="621" />
            <source>Written: %1</source>
            <translation>已写入：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="237" />
            <source>Whole year</source>
            <translation>全年</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="239" />
            <source>Ranking of</source>
            <translation>排名范围</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="257" />
            <source>Export ranking table (XLSX)…</source>
            <translation>导出排名表（XLSX）…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="258" />
            <source>Export ranking map (PDF)…</source>
            <translation>导出排名示意图（PDF）…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="267" />
            <source>Ranking</source>
            <translation>排名</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="286" />
            <source>Rank</source>
            <translation>排名</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="287" />
            <source>Bottom places</source>
            <translation>末位</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="287" />
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="288" />
            <source>Monthly checks</source>
            <translation>月度检查次数</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="288" />
            <source>Monthly average</source>
            <translation>月度平均分</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="289" />
            <source>Yearly total</source>
            <translation>年度总分</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="290" />
            <source>Class</source>
            <translation>等次</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="290" />
            <source>Written explanation</source>
            <translation>须书面说明</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="296" />
            <source>not checked</source>
            <translation>未检查</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="296" />
            <source>some items not scored</source>
            <translation>部分项目未评分</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="297" />
            <source>no monthly check</source>
            <translation>无月度检查</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="297" />
            <source>no year-end check</source>
            <translation>缺年终检查</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="298" />
            <source>yes</source>
            <translation>是</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="307" />
            <source>%1 checks in a row in the bottom %2 — the leader must explain in writing:</source>
            <translation>连续 %1 次检查排在末位 %2 名，挂点领导须书面说明：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="310" />
            <source>no leader set</source>
            <translation>未设挂点领导</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="314" />
            <source>No grid was in the bottom %1 for %2 checks in a row.</source>
            <translation>没有网格连续 %2 次排在末位 %1 名。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="331" />
            <source>%1: %2 points, rank %3 of %4</source>
            <translation>%1：%2 分，第 %3 名（共 %4 个）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="333" />
            <source>History of %1: </source>
            <translation>%1 的考核记录：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="333" />
            <source>no checks recorded</source>
            <translation>没有考核记录</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="336" />
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="360" />
            <source>Scoring template: items and maximum points (one item per row; an empty row is dropped)</source>
            <translation>考核评分表：考核项目及分值（每行一项，空行不计）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="377" />
            <source>Weights (monthly %, year-end %)</source>
            <translation>权重（常规考核 %，年终考核 %）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="378" />
            <source>Award classes by yearly rank (name:count, …)</source>
            <translation>按年度排名评等次（名称:个数，…）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="379" />
            <source>Class of the other grids</source>
            <translation>其余网格的等次</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="380" />
            <source>Bottom places that count</source>
            <translation>末位名次数</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="381" />
            <source>Checks in a row that flag a grid</source>
            <translation>连续几次末位须说明</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="383" />
            <source>Apply rules</source>
            <translation>应用规则</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="386" />
            <source>Rules</source>
            <translation>规则</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="393" />
            <source>Item</source>
            <translation>考核项目</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="393" />
            <source>Maximum points</source>
            <translation>分值</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="405" />
            <source>(example points: edit them under Rules)</source>
            <translation>（示例分值：请在“规则”中修改）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="435" />
            <source>Assessment rules</source>
            <translation>考核规则</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="462" />
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="465" />
            <source>Community (grid)</source>
            <translation>社区（网格）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="465" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="507" />
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="466" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="507" />
            <source>Matter</source>
            <translation>工作事项</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="466" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="508" />
            <source>Who went, and their phone</source>
            <translation>进社区人员及联系方式</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="467" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="508" />
            <source>Community contact and phone</source>
            <translation>社区直接责任人及联系方式</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="467" />
            <source>Outcome</source>
            <translation>办理结果</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="468" />
            <source>Category (three kinds of matters)</source>
            <translation>类别（三事分流）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="472" />
            <source>Add record</source>
            <translation>添加记录</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="473" />
            <source>Export the month's ledger (XLSX)…</source>
            <translation>导出本月工作台账（XLSX）…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="486" />
            <source>Work ledger</source>
            <translation>工作台账</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="507" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="579" />
            <source>No.</source>
            <translation>序号</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="507" />
            <location filename="../../gridmap/ui/assessment_dialog.py" line="579" />
            <source>Community</source>
            <translation>社区名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="518" />
            <source>Communities with no visit in %1: %2</source>
            <translation>%1 无进社区记录的社区：%2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="519" />
            <source>Every community was visited in %1.</source>
            <translation>%1 每个社区都有进社区记录。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="549" />
            <source>Import survey tallies (XLSX)…</source>
            <translation>导入满意度调查汇总（XLSX）…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="550" />
            <source>Export satisfaction rates (XLSX)…</source>
            <translation>导出满意度统计表（XLSX）…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="553" />
            <source>Every question (a PDF page each)</source>
            <translation>全部问题（PDF 每题一页）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="558" />
            <source>Export satisfaction map (PDF/PNG)…</source>
            <translation>导出满意度示意图（PDF/PNG）…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="570" />
            <source>Satisfaction survey</source>
            <translation>满意度调查</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="579" />
            <source>Question</source>
            <translation>问题</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="579" />
            <source>Satisfied</source>
            <translation>满意</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="580" />
            <source>Fairly satisfied</source>
            <translation>基本满意</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="580" />
            <source>Not satisfied</source>
            <translation>不满意</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="580" />
            <source>Satisfaction rate (%)</source>
            <translation>满意率（%）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="581" />
            <source>Reasons for dissatisfaction</source>
            <translation>不满意的原因</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="589" />
            <source>All communities</source>
            <translation>总计</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/assessment_dialog.py" line="593" />
            <source>Import survey tallies</source>
            <translation>导入满意度调查汇总</translation>
        </message>
    </context>
    <context>
        <name>AttributeTable</name>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="48" />
            <location filename="../../gridmap/ui/attribute_table.py" line="53" />
            <location filename="../../gridmap/ui/attribute_table.py" line="57" />
            <location filename="../../gridmap/ui/attribute_table.py" line="59" />
            <source>Id</source>
            <translation>编号</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="49" />
            <source>Code</source>
            <translation>编码</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="49" />
            <location filename="../../gridmap/ui/attribute_table.py" line="57" />
            <location filename="../../gridmap/ui/attribute_table.py" line="59" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="49" />
            <location filename="../../gridmap/ui/attribute_table.py" line="668" />
            <source>Level</source>
            <translation>层级</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="50" />
            <source>Parent grid</source>
            <translation>上级网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="50" />
            <source>Area (m²)</source>
            <translation>面积（平方米）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="51" />
            <source>People on duty</source>
            <translation>责任人员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="51" />
            <location filename="../../gridmap/ui/attribute_table.py" line="56" />
            <location filename="../../gridmap/ui/attribute_table.py" line="58" />
            <location filename="../../gridmap/ui/attribute_table.py" line="61" />
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="52" />
            <source>Valid from</source>
            <translation>生效日期</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="52" />
            <source>Valid to</source>
            <translation>失效日期</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="53" />
            <source>Road</source>
            <translation>道路</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="54" />
            <source>From</source>
            <translation>起点</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="54" />
            <source>To</source>
            <translation>终点</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="55" />
            <location filename="../../gridmap/ui/attribute_table.py" line="58" />
            <source>Grid</source>
            <translation>网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="55" />
            <source>Officer</source>
            <translation>队员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="56" />
            <source>Length (m)</source>
            <translation>长度（米）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="57" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="58" />
            <source>Address</source>
            <translation>地址</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="59" />
            <source>Post</source>
            <translation>职务</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="60" />
            <source>Unit</source>
            <translation>所属单位</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="60" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="61" />
            <source>Grids on duty</source>
            <translation>负责网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="63" />
            <source>Grids</source>
            <translation>网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="63" />
            <source>Street segments</source>
            <translation>街巷路段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="63" />
            <source>Places</source>
            <translation>重点场所</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="63" />
            <source>People</source>
            <translation>人员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="591" />
            <source>%1 of %2 shown</source>
            <translation>显示 %1 条，共 %2 条</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="606" />
            <source>Code %1 refused: %2</source>
            <translation>编码 %1 未被接受：%2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="607" />
            <source>another grid has this code</source>
            <translation>已有其他网格使用该编码</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="607" />
            <source>it does not follow the code pattern</source>
            <translation>不符合编码规则</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="614" />
            <source>Set %1</source>
            <translation>设置%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="665" />
            <source>Attribute table</source>
            <translation>属性表</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="666" />
            <source>Filter: text in any column…</source>
            <translation>筛选：任意列中的文字…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/attribute_table.py" line="667" />
            <source>Only selected</source>
            <translation>仅显示选中项</translation>
        </message>
    </context>
    <context>
        <name>BatchAssignDialog</name>
        <message>
            <location filename="../../gridmap/ui/edit_dialogs.py" line="67" />
            <source>Assign to selected grids</source>
            <translation>批量分配到所选网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_dialogs.py" line="75" />
            <source>Replace who has this role now</source>
            <translation>替换现有的同类职责</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_dialogs.py" line="78" />
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_dialogs.py" line="79" />
            <source>Person or unit</source>
            <translation>人员或单位</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_dialogs.py" line="80" />
            <source>Duty</source>
            <translation>职责</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/edit_dialogs.py" line="86" />
            <source>%n grid(s) selected.</source>
            <translation>
                <numerusform>已选择 %n 个网格。</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>CaptureTool</name>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="181" />
            <source>Too few points: click at least %1.</source>
            <translation>点数不够：至少点击 %1 个点。</translation>
        </message>
    </context>
    <context>
        <name>CheckinDialog</name>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="132" />
            <source>Checked in</source>
            <translation>已签入</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="133" />
            <source>Conflict</source>
            <translation>冲突</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="134" />
            <source>Refused by the database</source>
            <translation>被数据库拒绝</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="135" />
            <source>Not sent (read-only surroundings)</source>
            <translation>未签入（只读的周边）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="136" />
            <source>Local change discarded</source>
            <translation>已放弃本地修改</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="147" />
            <source>Check in to the server</source>
            <translation>签入到服务器</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="153" />
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="153" />
            <source>Changeset</source>
            <translation>变更集</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="153" />
            <source>Details</source>
            <translation>说明</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="158" />
            <source>Re-apply on the server's latest</source>
            <translation>在服务器最新数据上重新应用</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="160" />
            <source>Discard my conflicting changes</source>
            <translation>放弃我的冲突修改</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="213" />
            <source>Nothing to check in: the file has no changes since it was checked out.</source>
            <translation>没有需要签入的修改：签出以来文件未改动。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="215" />
            <source>%1 changeset(s) checked in, %2 not: they stay in the local file. Re-apply them on the server's latest rows, discard them, or check in again later.</source>
            <translation>已签入 %1 个变更集，%2 个未签入，已保留在本地文件中。可在服务器最新数据上重新应用、放弃，或稍后再次签入。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="219" />
            <source>All %1 changeset(s) checked in.</source>
            <translation>%1 个变更集已全部签入。</translation>
        </message>
    </context>
    <context>
        <name>CheckoutDialog</name>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="25" />
            <source>Check out an area to this computer</source>
            <translation>签出区域到本机</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="30" />
            <source>List areas</source>
            <translation>列出区域</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="38" />
            <source>code of the parent grid, e.g. 440306001000</source>
            <translation>上级网格编码，如 440306001000</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="41" />
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="47" />
            <source>Server address</source>
            <translation>服务器地址</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="48" />
            <source>Area (parent grid)</source>
            <translation>区域（上级网格）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="49" />
            <location filename="../../gridmap/ui/checkout_dialog.py" line="69" />
            <source>Local file</source>
            <translation>本地文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="50" />
            <source>The file holds the grids under the area (editable) and the grids around it (read-only), with their segments, places, people and assessment rows. Edit it anywhere, then use Project → Check in to the server.</source>
            <translation>文件包含该区域下的网格（可编辑）及其周边网格（只读），以及它们的路段、场所、人员和考核记录。可在任何地方编辑，之后用“项目 → 签入到服务器”提交。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="58" />
            <source>Check out</source>
            <translation>签出</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="70" />
            <source>gridmap project (*.gpkg)</source>
            <translation>gridmap 项目 (*.gpkg)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="95" />
            <source>%1 area(s) on the server</source>
            <translation>服务器上有 %1 个区域</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="112" />
            <source>Give the server address, the area and the local file.</source>
            <translation>请填写服务器地址、区域和本地文件。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/checkout_dialog.py" line="116" />
            <source>The folder %1 does not exist.</source>
            <translation>文件夹 %1 不存在。</translation>
        </message>
    </context>
    <context>
        <name>ColorButton</name>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="24" />
            <source>none</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="28" />
            <source>Choose colour</source>
            <translation>选择颜色</translation>
        </message>
    </context>
    <context>
        <name>CompareView</name>
        <message>
            <location filename="../../gridmap/ui/compare_view.py" line="253" />
            <source>Compare plans: %1 → %2</source>
            <translation>方案对照：%1 → %2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/compare_view.py" line="254" />
            <source>View:</source>
            <translation>视图：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/compare_view.py" line="255" />
            <source>&amp;Side by side</source>
            <translation>左右对照(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/compare_view.py" line="256" />
            <source>S&amp;wipe</source>
            <translation>卷帘对照(&amp;W)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/compare_view.py" line="257" />
            <source>Drag the divider (or use ← →) to swipe between the earlier and the later plan.</source>
            <translation>拖动分隔条（或按 ← →）在原方案与新方案之间卷帘对照。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/compare_view.py" line="258" />
            <source>The two maps follow each other when you pan or zoom.</source>
            <translation>平移或缩放时，两幅地图同步。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/compare_view.py" line="259" />
            <source>No.</source>
            <translation>序号</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/compare_view.py" line="259" />
            <source>Change</source>
            <translation>变更类型</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/compare_view.py" line="259" />
            <source>Old grids</source>
            <translation>原网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/compare_view.py" line="259" />
            <source>New grids</source>
            <translation>新网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/compare_view.py" line="318" />
            <source>Earlier: %1</source>
            <translation>原方案：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/compare_view.py" line="322" />
            <source>Later: %1</source>
            <translation>新方案：%1</translation>
        </message>
    </context>
    <context>
        <name>ConflictDialog</name>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="134" />
            <source>Edit conflict on the shared plan</source>
            <translation>共享方案编辑冲突</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="138" />
            <source>another planner</source>
            <translation>另一位规划员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="139" />
            <source>Your change “%1” was not committed: %2 changed the same place on the server at %3 (“%4”). Nothing has been overwritten.</source>
            <translation>您的修改“%1”未能提交：%2 已于 %3 在服务器上修改了同一处（“%4”）。没有任何内容被覆盖。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="146" />
            <source>Changed by %1 since you read it: %2</source>
            <translation>您读取之后被 %1 修改的：%2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="150" />
            <source>What</source>
            <translation>内容</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="150" />
            <source>Your version</source>
            <translation>您的版本</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="150" />
            <source>On the server now</source>
            <translation>服务器上的现状</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="154" />
            <source>On the map: your version red dashed, the server's version green.</source>
            <translation>地图上：红色虚线为您的版本，绿色实线为服务器上的版本。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="156" />
            <source>Reload and re-apply</source>
            <translation>重新载入并重做</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="158" />
            <source>Bring in the server's version, then make your change again on it if it still fits (checked like any edit).</source>
            <translation>载入服务器上的最新版本，若您的修改仍然适用，就在其上重新做一遍（与任何编辑一样经过检查）。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="160" />
            <source>Discard my change</source>
            <translation>放弃我的修改</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="162" />
            <source>Take your change back and show the server's version.</source>
            <translation>撤回您的修改，显示服务器上的版本。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="180" />
            <source>grid</source>
            <translation>网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="180" />
            <source>segment</source>
            <translation>路段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="180" />
            <source>place</source>
            <translation>场所</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="181" />
            <source>duty</source>
            <translation>职责</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="181" />
            <source>person</source>
            <translation>人员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="181" />
            <source>unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="182" />
            <source>setting</source>
            <translation>设置</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="182" />
            <source>jurisdiction</source>
            <translation>辖区</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="212" />
            <source>boundary</source>
            <translation>边界</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="213" />
            <source>red dashed on the map</source>
            <translation>见地图上红色虚线</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="213" />
            <source>green on the map</source>
            <translation>见地图上绿色实线</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="215" />
            <source>your change</source>
            <translation>您的修改</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_conflict.py" line="215" />
            <source>changed by %1</source>
            <translation>已被 %1 修改</translation>
        </message>
    </context>
    <context>
        <name>DrawGridTool</name>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="226" />
            <source>Draw grid</source>
            <translation>绘制网格</translation>
        </message>
    </context>
    <context>
        <name>EditController</name>
        <message>
            <location filename="../../gridmap/ui/editing.py" line="238" />
            <source>The edit failed: %1</source>
            <translation>修改失败：%1</translation>
        </message>
    </context>
    <context>
        <name>EditOptionsDialog</name>
        <message>
            <location filename="../../gridmap/ui/edit_dialogs.py" line="127" />
            <source>Editing options</source>
            <translation>编辑选项</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_dialogs.py" line="139" />
            <source>Snap within</source>
            <translation>捕捉距离</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_dialogs.py" line="140" />
            <source>Fill slivers narrower than</source>
            <translation>填补宽度小于此值的细缝</translation>
        </message>
    </context>
    <context>
        <name>EditTools</name>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="262" />
            <source>The new grid(s) %1 have the people of the grid they were split from, marked “待确认” (to confirm): see the problems list.</source>
            <translation>新网格 %1 已沿用原网格的人员，标记为“待确认”：请在问题列表中逐一确认。</translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="29" />
            <source>Shapefiles (one per layer, with .prj and .cpg)</source>
            <translation>Shapefile（每个图层一个，含 .prj 和 .cpg）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="30" />
            <source>Annex tables (Excel .xlsx)</source>
            <translation>附件表格（Excel .xlsx）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="31" />
            <source>Annex tables (CSV)</source>
            <translation>附件表格（CSV）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="32" />
            <source>GeoPackage (one file, for QGIS)</source>
            <translation>GeoPackage（单个文件，供 QGIS 使用）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="33" />
            <source>GeoJSON (web platforms)</source>
            <translation>GeoJSON（网页平台）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="34" />
            <source>KML (Google Earth / 奥维)</source>
            <translation>KML（谷歌地球 / 奥维）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="35" />
            <source>DXF (CAD drawings)</source>
            <translation>DXF（CAD 图纸）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="140" />
            <location filename="../../gridmap/ui/export_dialog.py" line="255" />
            <location filename="../../gridmap/ui/export_dialog.py" line="304" />
            <source>Export plan</source>
            <translation>导出方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="145" />
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="152" />
            <source>Folder</source>
            <translation>文件夹</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="153" />
            <source>File name</source>
            <translation>文件名</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="163" />
            <source>Formats</source>
            <translation>格式</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="167" />
            <source>UTF-8 (recommended)</source>
            <translation>UTF-8（推荐）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="168" />
            <source>GBK (older platforms, ArcGIS 10.x)</source>
            <translation>GBK（较旧的平台、ArcGIS 10.x）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="169" />
            <source>Pack the shapefiles into one .zip</source>
            <translation>将 Shapefile 打包为一个 .zip</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="172" />
            <source>The plan's: %1</source>
            <translation>方案坐标系：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="174" />
            <source>CGCS2000 longitude/latitude (EPSG:4490)</source>
            <translation>CGCS2000 经纬度（EPSG:4490）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="175" />
            <source>WGS84 longitude/latitude (EPSG:4326)</source>
            <translation>WGS84 经纬度（EPSG:4326）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="176" />
            <source>GCJ-02 (Amap/Tencent base maps)</source>
            <translation>GCJ-02（高德/腾讯底图）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="177" />
            <source>BD-09 (Baidu base maps)</source>
            <translation>BD-09（百度底图）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="179" />
            <source>Shapefile text encoding</source>
            <translation>Shapefile 文字编码</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="181" />
            <source>Coordinate system</source>
            <translation>坐标系</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="182" />
            <source>Options</source>
            <translation>选项</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="193" />
            <source>Annex tables</source>
            <translation>附件表格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="202" />
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="219" />
            <source>Export to folder</source>
            <translation>导出到文件夹</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="245" />
            <source>Choose a folder.</source>
            <translation>请选择文件夹。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="249" />
            <source>Choose at least one annex table.</source>
            <translation>请至少选择一个附件表格。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="256" />
            <source>These already exist in the folder and will be replaced:
%1</source>
            <translation>文件夹中已有以下文件，将被替换：
%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="260" />
            <source>Nothing was exported: choose another folder or file name.</source>
            <translation>未导出任何内容：请选择其他文件夹或文件名。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="265" />
            <source>Exporting…</source>
            <translation>正在导出…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="276" />
            <source>Cancelling…</source>
            <translation>正在取消…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="289" />
            <source>Exported %1 file(s) to %2.</source>
            <translation>已导出 %1 个文件到 %2。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="294" />
            <source>Export finished</source>
            <translation>导出完成</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="295" />
            <source>Open folder</source>
            <translation>打开文件夹</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="303" />
            <source>Export failed: %1</source>
            <translation>导出失败：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="308" />
            <source>Export cancelled; the formats finished before stay in the folder.</source>
            <translation>导出已取消；已完成的格式保留在文件夹中。</translation>
        </message>
    </context>
    <context>
        <name>FixBar</name>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="80" />
            <source>Fix:</source>
            <translation>修复：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="81" />
            <source>Preview</source>
            <translation>预览</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="82" />
            <source>Apply fix</source>
            <translation>应用修复</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="83" />
            <source>Cancel preview</source>
            <translation>取消预览</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="84" />
            <source>Fix all of this kind…</source>
            <translation>全部修复此类问题…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="85" />
            <source>Show on the map what the fix would change; nothing changes yet</source>
            <translation>在地图上显示修复将作的修改；此时不会改动方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="86" />
            <source>Apply the previewed fix as one undo step (Ctrl+Z undoes it)</source>
            <translation>应用预览中的修复，作为一个可撤销步骤（Ctrl+Z 撤销）</translation>
        </message>
    </context>
    <context>
        <name>FixController</name>
        <message numerus="yes">
            <location filename="../../gridmap/ui/fix_panel.py" line="183" />
            <source>%n fix(es) for this problem: choose one and preview it on the map.</source>
            <translation>
                <numerusform>此问题有 %n 种修复方式：选择一种，先在地图上预览。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="188" />
            <source>Select a problem to see its fixes.</source>
            <translation>选择一个问题以查看可用的修复。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="186" />
            <location filename="../../gridmap/ui/fix_panel.py" line="324" />
            <source>This problem has no automatic fix.</source>
            <translation>此问题没有自动修复。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="204" />
            <location filename="../../gridmap/ui/fix_panel.py" line="229" />
            <source>Cannot apply this fix: %1</source>
            <translation>无法应用此修复：%1</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/fix_panel.py" line="212" />
            <source>Preview: %1 changes %n grid(s) and removes %2 problem(s). Apply it, or cancel the preview.</source>
            <translation>
                <numerusform>预览：“%1”将修改 %n 个网格，消除 %2 个问题。请应用修复或取消预览。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="234" />
            <source>Fixed: %1 (Ctrl+Z undoes it).</source>
            <translation>已修复：%1（Ctrl+Z 撤销）。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="269" />
            <source>No %1 problem can be fixed automatically. %2</source>
            <translation>没有可自动修复的“%1”问题。%2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="274" />
            <source>Fix %1 of %2 %3 problem(s)? %4 grid(s) change; it is one step, Ctrl+Z undoes it.</source>
            <translation>修复 %2 个“%3”问题中的 %1 个？将修改 %4 个网格；作为一步执行，可用 Ctrl+Z 撤销。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="281" />
            <source>Left as they are: %1</source>
            <translation>保持原样：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="283" />
            <source>Fix all of this kind</source>
            <translation>全部修复此类问题</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="285" />
            <source>Fix %1</source>
            <translation>修复 %1 个</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="286" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="305" />
            <source>Fixed %1 %2 problem(s) in one step (Ctrl+Z undoes it).</source>
            <translation>已一步修复 %1 个“%2”问题（Ctrl+Z 撤销）。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="309" />
            <source>Nothing was changed.</source>
            <translation>未做任何修改。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="321" />
            <source>Preview: %1</source>
            <translation>预览：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="326" />
            <source>Fix all of this kind…</source>
            <translation>全部修复此类问题…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/fix_panel.py" line="378" />
            <source>The plan changed: preview the fix again.</source>
            <translation>方案已改动：请重新预览修复。</translation>
        </message>
    </context>
    <context>
        <name>GridForm</name>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="553" />
            <source>No grid selected. Click a grid on the map (Shift-click adds).</source>
            <translation>未选择网格。在地图上点击网格（Shift+点击可多选）。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="510" />
            <source>Grid %1</source>
            <extracomment>what a pick list shows of a row: (table, label function, columns whose change alters a label)</extracomment>
            <translation>网格 %1</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/inspector_form.py" line="511" />
            <source>(%n grid(s) selected; editing the first)</source>
            <translation>
                <numerusform>（已选择 %n 个网格，正在编辑第一个）</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="604" />
            <source>(top level)</source>
            <translation>（最高层级）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="632" />
            <source>%1 m²; %2 road segment(s), %3 m; %4 place(s)</source>
            <translation>%1 平方米；%2 个路段，共 %3 米；%4 个场所</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="522" />
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="648" />
            <source>(no quota)</source>
            <translation>（无定额）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="650" />
            <source>(this grid's own)</source>
            <translation>（本网格自定）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="702" />
            <source>Does not follow the code pattern %1 (e.g. %2)</source>
            <translation>不符合编码规则 %1（例如 %2）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="705" />
            <source>Another grid has this code</source>
            <translation>已有其他网格使用此编码</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="719" />
            <source>Code %1 refused: %2</source>
            <translation>编码 %1 未被接受：%2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="731" />
            <source>Set code %1</source>
            <translation>设置编码 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="746" />
            <source>Set name</source>
            <translation>修改名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="746" />
            <source>Set notes</source>
            <translation>修改备注</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="762" />
            <source>Set parent grid</source>
            <translation>修改上级网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="811" />
            <location filename="../../gridmap/ui/inspector_form.py" line="861" />
            <source>Set %1</source>
            <translation>设置%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="822" />
            <source>Choose or type a person or unit first.</source>
            <translation>请先选择或输入人员、单位。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="828" />
            <source>Add %1</source>
            <translation>添加%1</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/inspector_form.py" line="838" />
            <source>Remove %n role(s)</source>
            <translation>
                <numerusform>移除 %n 项职责</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="850" />
            <source>Set duty</source>
            <translation>修改职责</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="865" />
            <source>Attributes</source>
            <translation>属性</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="866" />
            <source>Responsibilities</source>
            <translation>责任分工</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="867" />
            <source>Code</source>
            <translation>编码</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="867" />
            <location filename="../../gridmap/ui/inspector_form.py" line="876" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="867" />
            <source>Level</source>
            <translation>层级</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="868" />
            <source>Parent grid</source>
            <translation>上级网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="868" />
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="868" />
            <source>Summary</source>
            <translation>概要</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="869" />
            <source>Staffing quota</source>
            <translation>定额</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="871" />
            <source>This grid's quota…</source>
            <translation>本网格定额…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="872" />
            <source>Set or override the staffing quota of this grid alone</source>
            <translation>单独设置或覆盖本网格的人员定额</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="875" />
            <source>Propose a code from the level's pattern</source>
            <translation>按本层级编码规则生成编码</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="876" />
            <source>Role</source>
            <translation>角色</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="876" />
            <source>Post</source>
            <translation>职务</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="876" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="877" />
            <source>Duty</source>
            <translation>职责</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="880" />
            <source>Add</source>
            <translation>添加</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="881" />
            <source>Remove selected</source>
            <translation>移除所选</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="882" />
            <source>Duty (optional)</source>
            <translation>职责（可选）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector_form.py" line="883" />
            <source>Person or unit (type a new name to add one)</source>
            <translation>人员或单位（输入新名称即新增）</translation>
        </message>
    </context>
    <context>
        <name>GridInspector</name>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="56" />
            <source>No grid selected. Click a grid on the map (Shift-click adds).</source>
            <translation>未选择网格。在地图上点击网格（Shift+点击可多选）。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/inspector.py" line="61" />
            <source>%n grid(s) selected; showing the first.</source>
            <translation>
                <numerusform>已选择 %n 个网格，显示第一个。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="63" />
            <source>Grid %1</source>
            <translation>网格 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="71" />
            <source>Attributes</source>
            <translation>属性</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="73" />
            <source>Code</source>
            <translation>编码</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="74" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="75" />
            <source>Level</source>
            <translation>层级</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="76" />
            <source>Parent grid</source>
            <translation>上级网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="77" />
            <source>Area</source>
            <translation>面积</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="77" />
            <source>%1 m² (%2 km²)</source>
            <translation>%1 平方米（%2 平方公里）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="78" />
            <source>Valid from</source>
            <translation>生效日期</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="79" />
            <source>Valid to</source>
            <translation>失效日期</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="80" />
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="81" />
            <source>Id</source>
            <translation>编号</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="85" />
            <source>Responsibilities</source>
            <translation>责任分工</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="88" />
            <source>(none assigned)</source>
            <translation>（未分配）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="104" />
            <source>Duty</source>
            <translation>职责</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="108" />
            <source>Child grids</source>
            <translation>下级网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="111" />
            <source>Road segments</source>
            <translation>责任路段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="112" />
            <source>Places</source>
            <translation>重点场所</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="134" />
            <source>Field</source>
            <translation>字段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/inspector.py" line="134" />
            <source>Value</source>
            <translation>值</translation>
        </message>
    </context>
    <context>
        <name>HistoryView</name>
        <message>
            <location filename="../../gridmap/ui/undo.py" line="85" />
            <source>&lt;opened plan&gt;</source>
            <translation>&lt;打开的方案&gt;</translation>
        </message>
    </context>
    <context>
        <name>IdentifyPanel</name>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="100" />
            <source>Id</source>
            <translation>编号</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="101" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="102" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="103" />
            <source>Grid</source>
            <translation>网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="104" />
            <source>Address</source>
            <translation>地址</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="105" />
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="106" />
            <source>Responsible person</source>
            <translation>责任人</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="107" />
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="108" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="205" />
            <source>Feature</source>
            <translation>要素</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="205" />
            <source>Value</source>
            <translation>值</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="206" />
            <source>Responsible person of the place…</source>
            <translation>设置场所责任人…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="207" />
            <source>Give the selected place its responsible person from the roster, with phone</source>
            <translation>从人员名单中为所选场所指定责任人及联系电话</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/identify.py" line="213" />
            <source>Choose Tools → Identify features and click the map: every visible layer, base maps included, lists what lies under the click.</source>
            <translation>选择“工具 → 识别要素”后点击地图：所有可见图层（含底图）在点击处的要素都会列在这里。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/identify.py" line="217" />
            <source>%n feature(s) under the click</source>
            <translation>
                <numerusform>点击处有 %n 个要素</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/identify.py" line="224" />
            <source>%n feature(s)</source>
            <translation>
                <numerusform>%n 个要素</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ImportDialog</name>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="46" />
            <source>points</source>
            <translation>点</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="47" />
            <location filename="../../gridmap/ui/import_dialog.py" line="48" />
            <source>lines</source>
            <translation>线</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="49" />
            <location filename="../../gridmap/ui/import_dialog.py" line="50" />
            <source>polygons</source>
            <translation>面</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="51" />
            <source>table, no geometry</source>
            <translation>表格，无几何</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="52" />
            <source>mixed geometry</source>
            <translation>混合几何</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="181" />
            <source>Import %s</source>
            <translation>导入 %s</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/import_dialog.py" line="190" />
            <source>%1 (%2, %n feature(s))</source>
            <translation>
                <numerusform>%1（%2，%n 个要素）</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="197" />
            <source>As a base layer</source>
            <translation>作为底图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="198" />
            <source>As grids of a level</source>
            <translation>作为某一层级的网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="211" />
            <source>Layer</source>
            <translation>图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="213" />
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="219" />
            <source>Level</source>
            <translation>层级</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="220" />
            <source>Code field</source>
            <translation>编码字段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="220" />
            <source>Name field</source>
            <translation>名称字段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="221" />
            <source>Parent field (code or name)</source>
            <translation>上级字段（编码或名称）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="221" />
            <source>Notes field</source>
            <translation>备注字段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="224" />
            <source>Import</source>
            <translation>导入</translation>
        </message>
    </context>
    <context>
        <name>LayerManager</name>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="152" />
            <location filename="../../gridmap/ui/layer_manager.py" line="565" />
            <source>Layer %1: %2</source>
            <translation>图层 %1：%2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="157" />
            <source>Loading %1…</source>
            <translation>正在加载 %1…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="234" />
            <source>Tile map</source>
            <translation>瓦片地图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="246" />
            <source>Add base map %1</source>
            <translation>添加底图 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="255" />
            <source>Remove base map %1</source>
            <translation>移除底图 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="262" />
            <source>Show %1</source>
            <translation>显示底图 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="262" />
            <source>Hide %1</source>
            <translation>隐藏底图 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="287" />
            <source>Reorder base maps</source>
            <translation>调整底图顺序</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="302" />
            <source>Opacity of %1</source>
            <translation>%1 的不透明度</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="326" />
            <source>Style of %1</source>
            <translation>%1 的样式</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="338" />
            <source>Add vector layer</source>
            <translation>添加矢量图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="347" />
            <source>Choose a layer</source>
            <translation>选择图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="347" />
            <source>Layer:</source>
            <translation>图层：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="375" />
            <source>Add raster layer</source>
            <translation>添加栅格图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="381" />
            <source>Add MBTiles file</source>
            <translation>添加 MBTiles 文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="428" />
            <source>Tiles: the server %1 answers again</source>
            <translation>瓦片：服务器 %1 已恢复响应</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="431" />
            <source>Tiles: the server %1 sent no image but “%2” — check the address and the key; asking again later</source>
            <translation>瓦片：服务器 %1 没有返回图片，而是“%2”——请检查地址和密钥；稍后会再试</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="434" />
            <source>Tiles: offline, showing cached tiles only (%1)</source>
            <translation>瓦片：网络不可用，仅显示已缓存的瓦片（%1）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="452" />
            <location filename="../../gridmap/ui/layer_manager.py" line="505" />
            <source>Build overviews</source>
            <translation>建立金字塔</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="453" />
            <source>The raster %1 is large (%2 × %3 pixels) and has no overviews, so every zoomed-out view reads it at full resolution. Build overviews now? (A .ovr file is written beside it; the file itself is not changed.)</source>
            <translation>栅格 %1 较大（%2 × %3 像素）且没有金字塔，缩小查看时每次都要按原始分辨率读取。现在建立金字塔吗？（在其旁边写入 .ovr 文件，原文件不变。）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="479" />
            <source>Overviews of %1 built (1/%2 … 1/%3)</source>
            <translation>已建立 %1 的金字塔（1/%2 … 1/%3）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="484" />
            <source>Overviews of %1 could not be built: %2</source>
            <translation>无法建立 %1 的金字塔：%2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="487" />
            <source>Building overviews of %1…</source>
            <translation>正在建立 %1 的金字塔…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="501" />
            <source>Refresh tiles in this view</source>
            <translation>刷新当前视图的瓦片</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="502" />
            <source>Save this area for offline use…</source>
            <translation>保存此区域供离线使用…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="503" />
            <source>Tile cache…</source>
            <translation>瓦片缓存…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="507" />
            <source>Zoom to layer</source>
            <translation>缩放到图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="509" />
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="532" />
            <source>Tiles: %1 tile(s) of this view are asked again</source>
            <translation>瓦片：重新请求当前视图的 %1 个瓦片</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="541" />
            <source>Tiles: the cache is cleared</source>
            <translation>瓦片：缓存已清空</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_manager.py" line="555" />
            <source>Add a tile base map first (Layers → Add tile base map…)</source>
            <translation>请先添加瓦片底图（图层 → 添加瓦片底图…）</translation>
        </message>
    </context>
    <context>
        <name>LayerPanel</name>
        <message>
            <location filename="../../gridmap/ui/layer_panel.py" line="256" />
            <source>Plan layers</source>
            <translation>方案图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_panel.py" line="257" />
            <source>Base maps</source>
            <translation>底图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_panel.py" line="258" />
            <source>Opacity</source>
            <translation>不透明度</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_panel.py" line="259" />
            <source>Style…</source>
            <translation>样式…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layer_panel.py" line="260" />
            <source>Remove</source>
            <translation>移除</translation>
        </message>
    </context>
    <context>
        <name>LayerStyleDialog</name>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="39" />
            <source>Style of %1</source>
            <translation>%1 的样式</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="44" />
            <source>No fill</source>
            <translation>无填充</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="63" />
            <source>Outline colour</source>
            <translation>边线颜色</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="64" />
            <source>Line width (px)</source>
            <translation>线宽（像素）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="65" />
            <source>Fill colour</source>
            <translation>填充颜色</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="67" />
            <source>Fill opacity</source>
            <translation>填充不透明度</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/dialogs.py" line="68" />
            <source>Labels by field</source>
            <translation>标注字段</translation>
        </message>
    </context>
    <context>
        <name>LayoutDialog</name>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="61" />
            <source>Print layout</source>
            <extracomment>the texts a planner types once per plan: field → plan setting they are remembered in</extracomment>
            <translation>打印版式</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="73" />
            <source>Annex map (PDF, vector)</source>
            <translation>附图（PDF，矢量）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="73" />
            <source>Annex map (PNG)</source>
            <translation>附图（PNG）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="74" />
            <source>Annex map (TIFF)</source>
            <translation>附图（TIFF）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="74" />
            <source>Map book, one page per grid (PDF)</source>
            <translation>分网格图册，每个网格一页（PDF）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="75" />
            <source>Word annex (DOCX)</source>
            <translation>Word 附件（DOCX）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="75" />
            <source>Web map (HTML, works offline)</source>
            <translation>网页地图（HTML，可离线使用）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="79" />
            <source>Landscape</source>
            <translation>横向</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="81" />
            <source>Official document (GB/T 9704 margins)</source>
            <translation>公文版式（GB/T 9704 页边距）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="82" />
            <source>Full page (to the edges)</source>
            <translation>满幅（接近纸边）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="90" />
            <source>Locator inset</source>
            <translation>位置示意图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="96" />
            <source>Output</source>
            <translation>输出</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="97" />
            <source>Paper</source>
            <translation>纸张</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="99" />
            <source>Page layout</source>
            <translation>版式</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="100" />
            <source>Annex label</source>
            <translation>附件编号</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="101" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="102" />
            <source>Subtitle</source>
            <translation>副标题</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="103" />
            <source>Issuing unit</source>
            <translation>编制单位</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="104" />
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="105" />
            <source>Resolution (dpi)</source>
            <translation>分辨率（dpi）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="111" />
            <source>Preparing preview…</source>
            <translation>正在准备预览…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="124" />
            <source>Export…</source>
            <translation>导出…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="166" />
            <source>The web map has no page: export it and open it in a browser.</source>
            <translation>网页地图没有版面：请导出后在浏览器中打开。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="170" />
            <source>Drawing preview…</source>
            <translation>正在绘制预览…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="191" />
            <source>Preview failed: %s</source>
            <translation>预览失败：%s</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="197" />
            <source>Preview of the page as it will print.</source>
            <translation>页面的打印效果预览。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="217" />
            <location filename="../../gridmap/ui/layout_dialog.py" line="243" />
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="226" />
            <source>Exporting %s…</source>
            <translation>正在导出 %s…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="242" />
            <location filename="../../gridmap/ui/layout_dialog.py" line="243" />
            <source>Export failed: %s</source>
            <translation>导出失败：%s</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/layout_dialog.py" line="245" />
            <source>Written: %s</source>
            <translation>已写入：%s</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="94" />
            <source>&amp;New plan…</source>
            <translation>新建方案(&amp;N)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="95" />
            <source>&amp;Open…</source>
            <translation>打开(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="96" />
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="97" />
            <source>Save &amp;As…</source>
            <translation>另存为(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="102" />
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="106" />
            <source>Add &amp;vector layer…</source>
            <translation>添加矢量图层(&amp;V)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="107" />
            <source>Add &amp;raster layer…</source>
            <translation>添加栅格图层(&amp;R)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="108" />
            <source>Add &amp;tile base map…</source>
            <translation>添加瓦片底图(&amp;T)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="109" />
            <source>Add &amp;MBTiles file…</source>
            <translation>添加 MBTiles 文件(&amp;M)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="116" />
            <source>Zoom &amp;in</source>
            <translation>放大(&amp;I)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="117" />
            <source>Zoom &amp;out</source>
            <translation>缩小(&amp;O)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="118" />
            <source>Zoom &amp;full</source>
            <translation>全图(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="119" />
            <source>Zoom to &amp;layer</source>
            <translation>缩放到图层(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="120" />
            <source>Zoom to &amp;selection</source>
            <translation>缩放到选择(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="123" />
            <source>&amp;Refresh</source>
            <translation>刷新(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="122" />
            <source>Show &amp;labels</source>
            <translation>显示标注(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="127" />
            <source>&amp;Pan</source>
            <translation>平移(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="128" />
            <source>&amp;Zoom box</source>
            <translation>拉框缩放(&amp;Z)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="130" />
            <source>&amp;Identify and select</source>
            <translation>识别与选择(&amp;I)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="138" />
            <source>&amp;Deselect all</source>
            <translation>取消全部选择(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="140" />
            <source>Run &amp;checks</source>
            <translation>运行检查(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="148" />
            <source>Export map &amp;image…</source>
            <translation>导出地图图片(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="147" />
            <source>Export &amp;plan…</source>
            <translation>导出方案(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="145" />
            <source>&amp;Print layout (annex map, map book, Word, web map)…</source>
            <translation>打印版面（示意图、图册、Word 附件、网页地图）(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="155" />
            <source>&amp;About gridmap</source>
            <translation>关于 gridmap(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="104" />
            <source>&amp;Import file (base layer or grids)…</source>
            <translation>导入文件（底图或网格）(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="46" />
            <source>Vector files</source>
            <translation>矢量文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="46" />
            <source>Raster files</source>
            <translation>栅格文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="47" />
            <source>All files</source>
            <translation>所有文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="98" />
            <source>Shared plan on a &amp;server…</source>
            <translation>服务器上的共享方案(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="99" />
            <source>Check &amp;out to this computer…</source>
            <translation>签出到本机(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="100" />
            <source>Check &amp;in to the server…</source>
            <translation>签入到服务器(&amp;I)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="110" />
            <source>Refresh tiles in this view</source>
            <translation>刷新当前视图的瓦片</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="112" />
            <source>Save this area for offline use…</source>
            <translation>保存此区域供离线使用…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="114" />
            <source>Tile cache…</source>
            <translation>瓦片缓存…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="124" />
            <source>Open &amp;attribute table</source>
            <translation>打开属性表(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="132" />
            <source>Identify &amp;features (all layers)</source>
            <translation>识别要素（所有图层）(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="134" />
            <source>Measure &amp;distance</source>
            <translation>测量距离(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="136" />
            <source>Measure &amp;area</source>
            <translation>测量面积(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="141" />
            <source>Annex table from a &amp;template…</source>
            <translation>按模板导出附件表(&amp;T)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="143" />
            <source>Staffing &amp;quotas…</source>
            <translation>定人定额(&amp;Q)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="149" />
            <source>User &amp;manual (README)</source>
            <translation>使用说明(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="150" />
            <source>Open the &amp;sample plan</source>
            <translation>打开样例方案(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="151" />
            <source>&amp;Assessment, ranking and work ledger…</source>
            <translation>考核排名与工作台账(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="154" />
            <source>&amp;Versions and compare…</source>
            <translation>版本与对照(&amp;V)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="161" />
            <source>&amp;Draw grid</source>
            <translation>绘制网格(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="163" />
            <source>&amp;Vertex tool</source>
            <translation>顶点工具(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="165" />
            <source>S&amp;plit grid</source>
            <translation>分割网格(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="167" />
            <source>Split grid along a &amp;road</source>
            <translation>沿道路分割网格(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="169" />
            <source>&amp;Reshape grid</source>
            <translation>修整网格(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="171" />
            <source>&amp;Move boundary</source>
            <translation>移动边界(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="173" />
            <source>Assign &amp;segments by clicking</source>
            <translation>点选分配路段(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="175" />
            <source>Mer&amp;ge selected grids…</source>
            <translation>合并所选网格(&amp;G)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="176" />
            <source>De&amp;lete selected grids</source>
            <translation>删除所选网格(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="178" />
            <source>Assign &amp;to selected grids…</source>
            <translation>批量分配到所选网格(&amp;T)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="180" />
            <source>Split a road layer into &amp;street segments…</source>
            <translation>将道路图层分割为责任路段(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="182" />
            <source>Load p&amp;laces from a layer…</source>
            <translation>从图层导入重点场所(&amp;L)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="183" />
            <source>&amp;Propose grids from roads…</source>
            <translation>按道路智能划分网格(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="186" />
            <source>S&amp;napping</source>
            <translation>捕捉(&amp;N)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="187" />
            <source>&amp;Tracing (or hold Shift)</source>
            <translation>追踪(&amp;T)（或按住 Shift）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="188" />
            <source>&amp;Avoid overlaps</source>
            <translation>避免重叠(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="190" />
            <source>&amp;Fill slivers beside new grids</source>
            <translation>新网格填补相邻细缝(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="191" />
            <source>Top&amp;ological editing</source>
            <translation>拓扑编辑(&amp;O)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="192" />
            <source>&amp;Keep a clean coverage (refuse gaps and overlaps)</source>
            <translation>保持无缝无叠覆盖(&amp;K)（拒绝产生缝隙和重叠的修改）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="194" />
            <source>Live &amp;checks after each edit</source>
            <translation>每次修改后即时检查(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="215" />
            <source>Pl&amp;an</source>
            <translation>方案(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="224" />
            <source>&amp;Assessment</source>
            <translation>考核(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="248" />
            <source>Identify results</source>
            <translation>识别结果</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="185" />
            <source>Editing &amp;options…</source>
            <translation>编辑选项(&amp;O)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="210" />
            <source>&amp;Project</source>
            <translation>项目(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="216" />
            <source>&amp;Layers</source>
            <translation>图层(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="211" />
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="219" />
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="221" />
            <source>&amp;Tools</source>
            <translation>工具(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="223" />
            <source>&amp;Checks</source>
            <translation>检查(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="225" />
            <source>&amp;Export</source>
            <translation>导出(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="226" />
            <source>&amp;Settings</source>
            <translation>设置(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="227" />
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="230" />
            <source>Open &amp;recent</source>
            <translation>最近打开(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="231" />
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="230" />
            <source>&amp;Panels</source>
            <translation>面板(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="235" />
            <source>Main toolbar</source>
            <translation>主工具栏</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="239" />
            <source>Editing toolbar</source>
            <translation>编辑工具栏</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/language.py" line="20" />
            <source>Level:</source>
            <translation>层级：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="230" />
            <source>Snap to &amp;layers</source>
            <translation>捕捉图层(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/language.py" line="18" />
            <source>Edit</source>
            <translation>编辑</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/language.py" line="19" />
            <source>Summary</source>
            <translation>概要</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/language.py" line="22" />
            <source>Grid code or name…</source>
            <translation>网格编码或名称…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="245" />
            <source>Layers</source>
            <translation>图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="245" />
            <source>Overview</source>
            <translation>鹰眼图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="245" />
            <source>Grid inspector</source>
            <translation>网格信息</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="246" />
            <source>Problems</source>
            <translation>问题列表</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="246" />
            <source>Undo history</source>
            <translation>撤销历史</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="246" />
            <source>People and units</source>
            <translation>人员与单位</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="247" />
            <source>Segments and places</source>
            <translation>路段与场所</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/language.py" line="51" />
            <source>Jurisdiction</source>
            <translation>辖区范围</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/language.py" line="53" />
            <source>Road segments</source>
            <translation>责任路段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/language.py" line="55" />
            <source>Places</source>
            <translation>重点场所</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="37" />
            <source>Untitled</source>
            <extracomment>opening in two stages: the other tables are read once the grids are drawn, or after this plans of this many grids on open in two stages (smaller ones are read whole, then shown) from this many rows (grids + segments + people) on, hidden panels are filled when first shown</extracomment>
            <translation>未命名</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="43" />
            <source>read-only</source>
            <translation>只读</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="143" />
            <location filename="../../gridmap/ui/window/project_files.py" line="166" />
            <source>Opening %1…</source>
            <translation>正在打开 %1…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="133" />
            <location filename="../../gridmap/ui/window/project_files.py" line="187" />
            <location filename="../../gridmap/ui/window/project_files.py" line="326" />
            <source>Opened %1</source>
            <translation>已打开 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="71" />
            <source>Check in to the server</source>
            <translation>签入到服务器</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="72" />
            <source>The open plan was not checked out from a server (Project → Check out to this computer…).</source>
            <translation>当前方案不是从服务器签出的（项目 → 签出到本机…）。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="137" />
            <location filename="../../gridmap/ui/window/project_files.py" line="199" />
            <location filename="../../gridmap/ui/window/project_files.py" line="270" />
            <source>Cannot open project</source>
            <translation>无法打开项目</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="185" />
            <source>Opened %1 with its unsaved changes restored</source>
            <translation>已打开 %1，并恢复了未保存的修改</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="243" />
            <source>Loading %1… (editing once loaded)</source>
            <translation>正在载入 %1…（完成后可编辑）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="350" />
            <source>Indexing the plan…</source>
            <translation>正在建立方案索引…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="453" />
            <source>Open plan</source>
            <translation>打开方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="454" />
            <location filename="../../gridmap/ui/window/project_files.py" line="479" />
            <source>gridmap project (*.gpkg)</source>
            <translation>gridmap 项目 (*.gpkg)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="468" />
            <source>This plan was opened read-only because another gridmap has it open. Use Save As to keep your changes in another file.</source>
            <translation>另一个 gridmap 正打开此方案，因此这里以只读方式打开。请用“另存为”把您的修改保存到另一个文件。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="477" />
            <source>Save plan as</source>
            <translation>方案另存为</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="467" />
            <location filename="../../gridmap/ui/window/project_files.py" line="500" />
            <location filename="../../gridmap/ui/window/project_files.py" line="521" />
            <source>Cannot save</source>
            <translation>无法保存</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="45" />
            <source>loading…</source>
            <translation>载入中…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="91" />
            <source>%1 has unsaved changes. Save them before opening %2?</source>
            <translation>%1 有未保存的修改。打开 %2 之前是否保存？</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="276" />
            <source>Opening %1 was cancelled; the plan is closed (the file is unchanged).</source>
            <translation>已取消打开 %1，方案已关闭（文件未改变）。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="506" />
            <source>Saving %1…</source>
            <translation>正在保存 %1…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="536" />
            <source>Saved %1 (%2 changed rows written)</source>
            <translation>已保存 %1（写入 %2 行修改）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="539" />
            <source>Saved %1</source>
            <translation>已保存 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="576" />
            <source>%1 has %2 unsaved changes from a session that ended without saving (last change %3). Restore them, or discard them and open the plan as last saved?</source>
            <translation>%1 有 %2 步未保存的修改，来自一次未保存就意外结束的会话（最后修改于 %3）。恢复这些修改，还是放弃它们并打开上次保存的方案？</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="580" />
            <source>The file was saved again after those changes were made; they are restored only if they still fit it.</source>
            <translation>这些修改之后文件又被保存过；只有仍与文件一致时才会恢复。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="582" />
            <source>Restore unsaved changes?</source>
            <translation>恢复未保存的修改？</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="584" />
            <source>Restore</source>
            <translation>恢复</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="585" />
            <source>Discard</source>
            <translation>放弃</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="600" />
            <source>The record of the changes is kept in %1.</source>
            <translation>修改记录保留在 %1。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="603" />
            <source>Cannot restore the unsaved changes</source>
            <translation>无法恢复未保存的修改</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="616" />
            <source>a new plan</source>
            <translation>新方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/project_files.py" line="653" />
            <source>Draw the jurisdiction: click the corners, double-click to finish, Esc to cancel.</source>
            <translation>绘制辖区范围：依次点击各拐点，双击结束，Esc 取消。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="186" />
            <source>Draw the jurisdiction</source>
            <translation>绘制辖区范围</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="195" />
            <location filename="../../gridmap/ui/window/project_files.py" line="90" />
            <source>Unsaved changes</source>
            <translation>未保存的修改</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="196" />
            <source>Save the changes to the plan before closing?</source>
            <translation>关闭前是否保存对方案的修改？</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/selection.py" line="87" />
            <source>%1 grid(s) selected</source>
            <translation>已选择 %1 个网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/selection.py" line="109" />
            <source>No grid matches “%1”</source>
            <translation>没有与“%1”匹配的网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="159" />
            <source>&amp;Undo %1</source>
            <translation>撤销(&amp;U) %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/actions.py" line="160" />
            <source>&amp;Redo %1</source>
            <translation>重做(&amp;R) %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/edit_bar.py" line="48" />
            <source>(no line layers)</source>
            <translation>（没有线图层）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/edit_bar.py" line="76" />
            <source>Draw grid: click the corners, double-click or Enter to finish, Backspace removes the last point, Esc cancels; hold Shift to trace along roads and boundaries.</source>
            <translation>绘制网格：依次点击拐点，双击或回车结束，退格删除上一个点，Esc 取消；按住 Shift 可沿道路和边界追踪。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/edit_bar.py" line="78" />
            <source>Vertices: drag a vertex to move it, double-click a boundary to add one, click one and press Delete to remove it.</source>
            <translation>顶点：拖动顶点可移动，双击边界可添加顶点，点选顶点后按 Delete 删除。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/edit_bar.py" line="80" />
            <source>Split: draw a line across the grid, double-click or Enter to finish.</source>
            <translation>分割：画一条穿过网格的线，双击或回车结束。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/edit_bar.py" line="81" />
            <source>Split along a road: click a road of a snapping layer.</source>
            <translation>沿道路分割：点击捕捉图层中的一条道路。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/edit_bar.py" line="82" />
            <source>Reshape: draw a line from the grid's boundary and back to it.</source>
            <translation>修整：从网格边界出发画线，再回到边界。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/edit_bar.py" line="83" />
            <source>Move boundary: draw the new boundary across two neighbouring grids.</source>
            <translation>移动边界：在两个相邻网格上画出新的边界。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/edit_bar.py" line="84" />
            <source>Click street segments to assign them to the grid or officer chosen in the segments panel.</source>
            <translation>点击路段，将其分配给路段面板中所选的网格或队员。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/edit_bar.py" line="86" />
            <source>Identify: click the map to list the features of every visible layer under the click.</source>
            <translation>识别：点击地图，列出所有可见图层在点击处的要素。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/edit_bar.py" line="88" />
            <source>Measure distance: click points, right-click or double-click ends, Esc clears.</source>
            <translation>测量距离：依次点击各点，右键或双击结束，Esc 清除。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/edit_bar.py" line="90" />
            <source>Measure area: click the corners, right-click or double-click ends, Esc clears.</source>
            <translation>测量面积：依次点击各角点，右键或双击结束，Esc 清除。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/duties.py" line="70" />
            <source>%1: on duty in %2 grid(s), %3 street segment(s), %4 m of road</source>
            <translation>%1：负责 %2 个网格、%3 个路段，共 %4 米道路</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="289" />
            <source>Select at least two neighbouring grids to merge (Shift-click).</source>
            <translation>请至少选择两个相邻网格再合并（Shift+点击）。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/main_window.py" line="309" />
            <source>Merge %n grids</source>
            <translation>
                <numerusform>合并 %n 个网格</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="319" />
            <source>Select the grids to delete first.</source>
            <translation>请先选择要删除的网格。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/main_window.py" line="325" />
            <source>Delete %n grid(s)</source>
            <translation>
                <numerusform>删除 %n 个网格</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="332" />
            <source>Select the grids first (Shift-click or drag a box).</source>
            <translation>请先选择网格（Shift+点击或拉框）。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/main_window.py" line="352" />
            <source>Assign to %n grid(s)</source>
            <translation>
                <numerusform>分配到 %n 个网格</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="412" />
            <source>The manual was not found.</source>
            <translation>未找到使用说明。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="480" />
            <source>%1 is already open by %2 on %3 since %4. It is opened read-only here: Save As keeps your changes in another file. Choose Edit anyway to save into it too (changes saved there are detected; nothing is overwritten without asking).</source>
            <translation>%1 已由 %2 在 %3 上于 %4 打开，此处以只读方式打开：用“另存为”把您的修改保存到另一个文件。选择“仍然编辑”也可保存到该文件（在那里保存的修改会被发现，未经询问不会覆盖任何内容）。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="486" />
            <source>Edit anyway</source>
            <translation>仍然编辑</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="446" />
            <source>The plan file has changed</source>
            <translation>方案文件已被修改</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="447" />
            <source>Overwrite it with this window's plan, save this plan under another name, or reload the file (this window's changes are lost)?</source>
            <translation>用本窗口的方案覆盖它、另存为其他文件，还是重新载入该文件（本窗口的修改将丢失）？</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="450" />
            <source>Overwrite</source>
            <translation>覆盖</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="451" />
            <source>Save As…</source>
            <translation>另存为…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="452" />
            <source>Reload</source>
            <translation>重新载入</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="485" />
            <source>Plan already open</source>
            <translation>方案已被打开</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/duties.py" line="31" />
            <source>Running checks…</source>
            <translation>正在运行检查…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/duties.py" line="38" />
            <source>Checks failed: %1</source>
            <translation>检查失败：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/exchange_dialogs.py" line="22" />
            <source>Export map image</source>
            <translation>导出地图图片</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/exchange_dialogs.py" line="34" />
            <source>Exported %1</source>
            <translation>已导出 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/exchange_dialogs.py" line="34" />
            <source>Cannot write %1</source>
            <translation>无法写入 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/exchange_dialogs.py" line="59" />
            <source>Export</source>
            <translation>导出</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/export_dialog.py" line="266" />
            <location filename="../../gridmap/ui/window/exchange_dialogs.py" line="56" />
            <source>Exporting…</source>
            <translation>正在导出…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/exchange_dialogs.py" line="58" />
            <source>Exported to %1</source>
            <translation>已导出到 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/exchange_dialogs.py" line="133" />
            <source>Import file</source>
            <translation>导入文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/exchange_dialogs.py" line="143" />
            <location filename="../../gridmap/ui/window/exchange_dialogs.py" line="203" />
            <source>Import</source>
            <translation>导入</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/exchange_dialogs.py" line="161" />
            <source>Importing %1…</source>
            <translation>正在导入 %1…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/exchange_dialogs.py" line="183" />
            <source>Import grids</source>
            <translation>导入网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/window/exchange_dialogs.py" line="206" />
            <source>Import cancelled; nothing was added.</source>
            <translation>已取消导入，未添加任何内容。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="439" />
            <source>About gridmap</source>
            <translation>关于 gridmap</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/main_window.py" line="440" />
            <source>&lt;b&gt;gridmap %1&lt;/b&gt;&lt;br&gt;Desktop GIS for urban grid management (城市网格化管理).&lt;br&gt;&lt;br&gt;Sample base map: © OpenStreetMap contributors, ODbL.</source>
            <translation>&lt;b&gt;gridmap %1&lt;/b&gt;&lt;br&gt;城市网格化管理桌面 GIS。&lt;br&gt;&lt;br&gt;示例底图：© OpenStreetMap contributors，ODbL 许可。</translation>
        </message>
    </context>
    <context>
        <name>MapCanvas</name>
        <message>
            <location filename="../../gridmap/ui/grid_labels.py" line="271" />
            <source>Numbers on the map</source>
            <translation>图上序号</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/grid_labels.py" line="274" />
            <source>… and %1 more (zoom in)</source>
            <translation>……另有 %1 个（放大查看）</translation>
        </message>
    </context>
    <context>
        <name>MapStatusBar</name>
        <message>
            <location filename="../../gridmap/ui/statusbar.py" line="128" />
            <source>Scale</source>
            <translation>比例尺</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/statusbar.py" line="129" />
            <source>Cancel the running job</source>
            <translation>取消正在运行的任务</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/statusbar.py" line="130" />
            <source>Cursor position in the project CRS</source>
            <translation>光标位置（项目坐标系）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/statusbar.py" line="131" />
            <source>Cursor position as longitude/latitude (CGCS2000)</source>
            <translation>光标位置（经纬度，CGCS2000）</translation>
        </message>
    </context>
    <context>
        <name>MeasureTool</name>
        <message>
            <location filename="../../gridmap/ui/measure_tool.py" line="51" />
            <source>Click at least three points</source>
            <translation>请至少点击三个点</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/measure_tool.py" line="52" />
            <source>Area %1, perimeter %2</source>
            <translation>面积 %1，周长 %2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/measure_tool.py" line="55" />
            <source>Click the first point</source>
            <translation>请点击起点</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/measure_tool.py" line="57" />
            <source>Length %1 (last segment %2)</source>
            <translation>长度 %1（末段 %2）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/measure_tool.py" line="60" />
            <source> (geodesic)</source>
            <translation>（椭球面测量）</translation>
        </message>
    </context>
    <context>
        <name>MergeDialog</name>
        <message>
            <location filename="../../gridmap/ui/edit_dialogs.py" line="33" />
            <source>Merge grids</source>
            <translation>合并网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_dialogs.py" line="47" />
            <source>The merged grid keeps the code, name and notes of:</source>
            <translation>合并后的网格沿用以下网格的编码、名称和备注：</translation>
        </message>
    </context>
    <context>
        <name>MoveBoundaryTool</name>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="317" />
            <source>Draw the new boundary across two neighbouring grids.</source>
            <translation>请在两个相邻网格上画出新的边界。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="320" />
            <source>Move boundary</source>
            <translation>移动边界</translation>
        </message>
    </context>
    <context>
        <name>NewPlanWizard</name>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="274" />
            <source>New plan</source>
            <translation>新建方案</translation>
        </message>
    </context>
    <context>
        <name>OfflineAreaDialog</name>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="364" />
            <location filename="../../gridmap/ui/tile_dialogs.py" line="495" />
            <source>Save this area for offline use</source>
            <translation>保存此区域供离线使用</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="372" />
            <source>west,south,east,north in degrees</source>
            <translation>西,南,东,北（经纬度）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="379" />
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="389" />
            <source>to</source>
            <translation>至</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="400" />
            <source>Tile base map</source>
            <translation>瓦片底图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="401" />
            <source>Extent (lon/lat)</source>
            <translation>范围（经纬度）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="402" />
            <source>Zoom levels</source>
            <translation>缩放级别</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="404" />
            <source>MBTiles file</source>
            <translation>MBTiles 文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="405" />
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="406" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="407" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="408" />
            <source>Add the file as a base map</source>
            <translation>将文件添加为底图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="481" />
            <location filename="../../gridmap/ui/tile_dialogs.py" line="508" />
            <source>Write the extent as west,south,east,north</source>
            <translation>范围请写作 西,南,东,北</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="484" />
            <source>MBTiles holds only Web-Mercator tiles: choose another tile matrix set</source>
            <translation>MBTiles 只能保存 Web 墨卡托瓦片：请选择其他瓦片矩阵集</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="492" />
            <source>%1 tile(s)</source>
            <translation>%1 个瓦片</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="511" />
            <source>%1 exists: choose another file name (it is not overwritten)</source>
            <translation>%1 已存在：请换一个文件名（不会覆盖）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="541" />
            <source>Downloading…</source>
            <translation>正在下载…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="552" />
            <source>Cancelling…</source>
            <translation>正在取消…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="556" />
            <source>%1 of %2 tile(s)</source>
            <translation>%1 / %2 个瓦片</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="567" />
            <source>Cancelled: no file was written</source>
            <translation>已取消：没有写入文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="569" />
            <source>No tile could be downloaded: no file was written</source>
            <translation>没有下载到任何瓦片：没有写入文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="571" />
            <source>Saved %1 tile(s) to %2</source>
            <translation>已将 %1 个瓦片保存到 %2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="573" />
            <source>(%1 failed: %2)</source>
            <translation>（%1 个失败：%2）</translation>
        </message>
    </context>
    <context>
        <name>PeoplePanel</name>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="533" />
            <source>No unit named %1: add it in the units table first.</source>
            <translation>没有名为 %1 的单位：请先在单位表中添加。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="541" />
            <location filename="../../gridmap/ui/people_dock.py" line="553" />
            <source>Edit person</source>
            <translation>修改人员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="558" />
            <source>Edit unit</source>
            <translation>修改单位</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="563" />
            <source>New person</source>
            <translation>新人员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="565" />
            <location filename="../../gridmap/ui/people_dock.py" line="639" />
            <source>Add person</source>
            <translation>添加人员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="577" />
            <source>New unit</source>
            <translation>新单位</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="578" />
            <location filename="../../gridmap/ui/people_dock.py" line="640" />
            <source>Add unit</source>
            <translation>添加单位</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/people_dock.py" line="600" />
            <source>Delete %n person(s)</source>
            <translation>
                <numerusform>删除 %n 名人员</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/people_dock.py" line="615" />
            <source>Delete %n unit(s)</source>
            <translation>
                <numerusform>删除 %n 个单位</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="628" />
            <location filename="../../gridmap/ui/people_dock.py" line="634" />
            <source>People</source>
            <translation>人员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="629" />
            <source>Units</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="630" />
            <location filename="../../gridmap/ui/people_dock.py" line="633" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="630" />
            <source>Post</source>
            <translation>职务</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="630" />
            <source>Unit</source>
            <translation>所属单位</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="630" />
            <location filename="../../gridmap/ui/people_dock.py" line="633" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="630" />
            <source>Category</source>
            <translation>类别</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="631" />
            <location filename="../../gridmap/ui/people_dock.py" line="633" />
            <source>Notes</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="631" />
            <location filename="../../gridmap/ui/people_dock.py" line="634" />
            <source>Roles</source>
            <translation>角色数</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="631" />
            <source>Grids on duty</source>
            <translation>负责网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="632" />
            <source>Road length (m)</source>
            <translation>道路长度（米）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="633" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="637" />
            <source>Search…</source>
            <translation>搜索…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/people_dock.py" line="638" />
            <source>Delete</source>
            <translation>删除</translation>
        </message>
    </context>
    <context>
        <name>PickSegmentTool</name>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="644" />
            <source>No street segment here.</source>
            <translation>此处没有路段。</translation>
        </message>
    </context>
    <context>
        <name>PlaceDialog</name>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="36" />
            <source>Place and its responsible person</source>
            <translation>场所及其责任人</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="50" />
            <source>(not in a grid)</source>
            <translation>（未分配网格）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="59" />
            <location filename="../../gridmap/ui/place_dialog.py" line="99" />
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="64" />
            <source>Pick from the roster or type a new name</source>
            <translation>从人员名单中选择，或输入新姓名</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="66" />
            <source>e.g. 物业经理, 楼长, 店主</source>
            <translation>如 物业经理、楼长、店主</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="75" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="76" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="77" />
            <source>Address</source>
            <translation>地址</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="78" />
            <source>Grid</source>
            <translation>网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="79" />
            <source>Responsible person</source>
            <translation>责任人</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="80" />
            <source>Post</source>
            <translation>职务</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="81" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/place_dialog.py" line="161" />
            <source>Set the responsible person of %1</source>
            <translation>设置 %1 的责任人</translation>
        </message>
    </context>
    <context>
        <name>ProblemsPanel</name>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="345" />
            <source>Error</source>
            <translation>错误</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="345" />
            <source>Warning</source>
            <translation>警告</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="345" />
            <source>Info</source>
            <translation>提示</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="354" />
            <source>Checks not run yet.</source>
            <translation>尚未运行检查。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="356" />
            <source>No problems found.</source>
            <translation>未发现问题。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="359" />
            <source>%1 problem(s), %2 error(s)</source>
            <translation>共 %1 个问题，其中 %2 个错误</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="363" />
            <source>Run checks</source>
            <translation>运行检查</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="137" />
            <source>Severity</source>
            <translation>级别</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="138" />
            <source>Check</source>
            <translation>检查项</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="139" />
            <source>Grids</source>
            <translation>网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/problems.py" line="140" />
            <source>Message</source>
            <translation>说明</translation>
        </message>
    </context>
    <context>
        <name>ProposeDialog</name>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="31" />
            <source>Propose grids from roads</source>
            <translation>按道路智能划分网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="36" />
            <source>Road layer:</source>
            <translation>道路图层：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="38" />
            <source>Level to propose:</source>
            <translation>划分层级：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="41" />
            <source>Number of grids:</source>
            <translation>网格数：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="46" />
            <source>area</source>
            <translation>面积</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="46" />
            <source>road length</source>
            <translation>道路长度</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="47" />
            <source>places</source>
            <translation>场所数</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="47" />
            <source>population</source>
            <translation>人口</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="55" />
            <source>Workload weights:</source>
            <translation>工作量权重：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="66" />
            <source>field</source>
            <translation>字段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="69" />
            <source>Population from:</source>
            <translation>人口来源：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="71" />
            <source>Automatic (by the number of blocks)</source>
            <translation>自动（按街区数选择）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="72" />
            <source>Grow and refine (balanced, compact)</source>
            <translation>逐步合并并优化（均衡、紧凑）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="73" />
            <source>METIS graph partition, then refine</source>
            <translation>多层图划分后优化</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="74" />
            <source>Method:</source>
            <translation>方法：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="76" />
            <source>road names, separated by commas</source>
            <translation>道路名称，用逗号分隔</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="77" />
            <source>Roads to keep as boundaries:</source>
            <translation>必须作为边界的道路：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="78" />
            <source>Keep the selected grids as they are</source>
            <translation>保留所选网格不变</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="88" />
            <source>none</source>
            <translation>不限</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="89" />
            <source>min</source>
            <translation>最小</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="91" />
            <source>max</source>
            <translation>最大</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="93" />
            <source>Grid area:</source>
            <translation>网格面积：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="95" />
            <source>&amp;Preview proposal</source>
            <translation>预览划分建议(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="98" />
            <source>Choose the settings and preview a proposal; the plan does not change until you accept it.</source>
            <translation>选择参数并预览划分建议；接受之前方案不会改变。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="102" />
            <source>Grid</source>
            <translation>网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="102" />
            <source>Parent</source>
            <translation>上级网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="102" />
            <source>Blocks</source>
            <translation>街区数</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="103" />
            <source>Area (ha)</source>
            <translation>面积（公顷）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="103" />
            <source>Workload</source>
            <translation>工作量</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="103" />
            <source>Deviation</source>
            <translation>偏差</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="108" />
            <source>&amp;Accept proposal</source>
            <translation>接受建议(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="109" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="132" />
            <source>the plan's places and grids (a population field)</source>
            <translation>方案的场所和网格（人口字段）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="159" />
            <source>population (人口)</source>
            <translation>人口（population 字段）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="216" />
            <source>Add a road layer (lines) as a base map first.</source>
            <translation>请先添加道路（线）图层作为底图。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/propose_dialog.py" line="222" />
            <location filename="../../gridmap/ui/propose_dialog.py" line="242" />
            <source>No proposal: %1</source>
            <translation>无法生成建议：%1</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/propose_dialog.py" line="244" />
            <source>Propose %n grid(s)</source>
            <translation>
                <numerusform>智能划分 %n 个网格</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/propose_dialog.py" line="249" />
            <source>Accepted: %n grid(s) added (Ctrl+Z undoes it).</source>
            <translation>
                <numerusform>已接受：新增 %n 个网格（Ctrl+Z 可撤销）。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/propose_dialog.py" line="257" />
            <source>%n grid(s) from %1 blocks. Workload deviation from the mean of each parent: max %2 %, mean %3 %. Compactness: mean %4, min %5. Boundary on roads or the parent's edge: %6 %.</source>
            <translation>
                <numerusform>由 %1 个街区划分为 %n 个网格。与所在上级网格平均工作量的偏差：最大 %2 %，平均 %3 %。紧凑度：平均 %4，最小 %5。边界位于道路或上级网格边上的比例：%6 %。</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>QFileDialog</name>
        <message>
            <location filename="../../gridmap/ui/qt_strings.py" line="10" />
            <source>&amp;Look in:</source>
            <translation>查找范围(&amp;L)：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/qt_strings.py" line="11" />
            <source>Files of &amp;type:</source>
            <translation>文件类型(&amp;T)：</translation>
        </message>
    </context>
    <context>
        <name>ReshapeTool</name>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="281" />
            <source>Start and end the line on the boundary of a grid.</source>
            <translation>修整线须从网格边界出发并回到边界。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="284" />
            <source>Reshape grid</source>
            <translation>修整网格</translation>
        </message>
    </context>
    <context>
        <name>SegmentsPanel</name>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="270" />
            <source>%1 segment(s), %2 km; %3 without grid, %4 without officer</source>
            <translation>共 %1 个路段，%2 公里；%3 个未分配网格，%4 个未分配队员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="275" />
            <source>%1 place(s), %2 without grid</source>
            <translation>共 %1 个场所，%2 个未分配网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="288" />
            <location filename="../../gridmap/ui/segments_panel.py" line="289" />
            <source>(unchanged)</source>
            <translation>（不变）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="289" />
            <source>(nobody)</source>
            <translation>（无人）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="319" />
            <source>Add a road layer (lines) as a base map first.</source>
            <translation>请先添加道路（线）图层作为底图。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="324" />
            <source>Split %1 into %2 segments</source>
            <translation>将 %1 分割为 %2 个路段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="331" />
            <source>Add a layer of places as a base map first.</source>
            <translation>请先添加场所图层作为底图。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="341" />
            <source>Load %1 place(s) from %2</source>
            <translation>从 %2 导入 %1 个场所</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="352" />
            <source>Choose the grid or officer to assign to first.</source>
            <translation>请先选择要分配给的网格或队员。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/segments_panel.py" line="366" />
            <source>Assign %n segment(s)</source>
            <translation>
                <numerusform>分配 %n 个路段</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="373" />
            <source>Street segments from a road layer</source>
            <translation>由道路图层生成责任路段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="374" />
            <source>Road layer</source>
            <translation>道路图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="374" />
            <location filename="../../gridmap/ui/segments_panel.py" line="384" />
            <source>Name field</source>
            <translation>名称字段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="374" />
            <source>Level</source>
            <translation>层级</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="376" />
            <source>Split roads at grid boundaries</source>
            <translation>按网格边界分割道路</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="377" />
            <source>Assign segments (队员管段)</source>
            <translation>分配路段（队员管段）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="378" />
            <source>To grid</source>
            <translation>分配给网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="378" />
            <source>To officer</source>
            <translation>分配给队员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="380" />
            <source>Assign by clicking on the map</source>
            <translation>在地图上点选分配</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="381" />
            <source>Assign selected rows</source>
            <translation>分配所选行</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="383" />
            <source>Places from a layer</source>
            <translation>从图层导入场所</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="384" />
            <source>Layer</source>
            <translation>图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="385" />
            <source>Kind field or text</source>
            <translation>类型字段或文字</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/segments_panel.py" line="387" />
            <source>Load places and assign them to grids</source>
            <translation>导入场所并分配到网格</translation>
        </message>
    </context>
    <context>
        <name>ServerDialog</name>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="21" />
            <source>Shared plan on a server</source>
            <translation>服务器上的共享方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="27" />
            <source>Server address</source>
            <translation>服务器地址</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="28" />
            <source>Connect</source>
            <translation>连接</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="29" />
            <source>Open the shared plan</source>
            <translation>打开共享方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="30" />
            <source>Publish the current plan</source>
            <translation>上传当前方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="40" />
            <source>Planner</source>
            <translation>规划人员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="40" />
            <source>Area (grid code)</source>
            <translation>负责区域（网格编码）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="40" />
            <source>Grid name</source>
            <translation>网格名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="48" />
            <source>Who holds which area</source>
            <translation>各人负责的区域</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="80" />
            <source>owner (may edit everything)</source>
            <translation>所有者（可修改全部）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="80" />
            <source>reviewer (may edit everything)</source>
            <translation>审核员（可修改全部）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="81" />
            <source>planner</source>
            <translation>网格规划员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="81" />
            <source>viewer (read-only)</source>
            <translation>查看者（只读）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="84" />
            <source>Connected: %1, %2 grid(s)</source>
            <translation>已连接：%1，共 %2 个网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="85" />
            <source>You are: %1</source>
            <translation>您的权限：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/server_dialog.py" line="111" />
            <source>Published %1 grid(s)</source>
            <translation>已上传 %1 个网格</translation>
        </message>
    </context>
    <context>
        <name>SharedSession</name>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="308" />
            <source>shared on %1 as %2</source>
            <translation>共享方案 %1，用户 %2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="312" />
            <source>owner (may edit everything)</source>
            <translation>所有者（可修改全部）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="312" />
            <source>reviewer (may edit everything)</source>
            <translation>审核员（可修改全部）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="313" />
            <source>planner</source>
            <translation>网格规划员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="313" />
            <source>viewer (read-only)</source>
            <translation>查看者（只读）</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/shared_session.py" line="321" />
            <source>, %n grid area(s)</source>
            <translation>
                <numerusform>，负责 %n 个片区</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="323" />
            <source>conflict: not committed</source>
            <translation>冲突：未提交</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/shared_session.py" line="325" />
            <source>committing %n step(s)…</source>
            <translation>
                <numerusform>正在提交 %n 步修改…</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="327" />
            <source>all changes on the server</source>
            <translation>所有修改均已在服务器上</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="328" />
            <source>Shared: %1 · %2 · %3</source>
            <translation>共享方案：%1 · %2 · %3</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="333" />
            <source>You may edit the grids under: %1 (the others are hatched on the map)</source>
            <translation>您可以修改以下网格之下的网格：%1（其余的在地图上以斜线标出）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="378" />
            <source>This change cannot be committed to the shared plan and was taken back: %1</source>
            <extracomment>the window's actions that change the plan (off for a viewer)</extracomment>
            <translation>此修改无法提交到共享方案，已撤回：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="400" />
            <source>Only a reviewer may save or delete versions of the shared plan; the change was taken back.</source>
            <translation>只有审核人可以保存或删除共享方案的版本；此修改已撤回。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="437" />
            <source>undo</source>
            <translation>撤销</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="437" />
            <source>redo</source>
            <translation>重做</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="438" />
            <source>Cannot %1 “%2”: %3 changed the same place at %4 (“%5”) after it; it would be overwritten.</source>
            <translation>无法%1“%2”：此后 %3 于 %4 修改了同一处（“%5”），%1会覆盖其修改。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="531" />
            <source>The plan's versions are saved on the server.</source>
            <translation>方案的版本已保存到服务器。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="589" />
            <source>From the server: %1</source>
            <translation>来自服务器：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="612" />
            <source>%1 changed the plan: %2</source>
            <translation>%1 修改了方案：%2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="641" />
            <source>The history does not allow taking the change back: the plan is opened again from the server.</source>
            <translation>撤销记录无法撤回此修改：已从服务器重新打开方案。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="649" />
            <source>Your change was discarded; the plan shows the server's version.</source>
            <translation>已放弃您的修改，方案显示为服务器上的版本。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="673" />
            <source>Your change “%1” no longer fits the server's version and was not re-applied: %2</source>
            <translation>您的修改“%1”与服务器上的新版本不再相符，未重新做：%2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="678" />
            <source>Reloaded; your change was re-applied.</source>
            <translation>已重新载入，并重新做了您的修改。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="696" />
            <source>Not committed</source>
            <translation>未提交</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="697" />
            <source>Your change could not be committed to the shared plan:</source>
            <translation>您的修改未能提交到共享方案：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="699" />
            <source>Retry</source>
            <translation>重试</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="700" />
            <source>Discard my change</source>
            <translation>放弃我的修改</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/shared_session.py" line="752" />
            <source>Nothing to save: every change is already committed to the shared plan on %1 (Save As keeps a local copy in a file).</source>
            <translation>无需保存：每一步修改都已提交到 %1 上的共享方案（“另存为”可在本地文件中保留副本）。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/shared_session.py" line="756" />
            <source>%n step(s) not yet committed to the shared plan.</source>
            <translation>
                <numerusform>还有 %n 步修改尚未提交到共享方案。</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SourceOptions</name>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="40" />
            <source>UTF-8 (Unicode)</source>
            <translation>UTF-8（通用编码）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="41" />
            <source>GBK (Simplified Chinese)</source>
            <translation>GBK（简体中文）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="42" />
            <source>GB18030 (Simplified Chinese)</source>
            <translation>GB18030（简体中文）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="43" />
            <source>Big5 (Traditional Chinese)</source>
            <translation>Big5（繁体中文）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="44" />
            <source>Big5-HKSCS (Hong Kong)</source>
            <translation>Big5-HKSCS（香港）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="45" />
            <source>CP950 (Traditional Chinese)</source>
            <translation>CP950（繁体中文）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="86" />
            <source>Text encoding</source>
            <translation>文字编码</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="88" />
            <source>Coordinate system</source>
            <translation>坐标系</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="99" />
            <source>%s (detected)</source>
            <translation>%s（自动识别）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="103" />
            <source>as stored in the file</source>
            <translation>按文件中的原样</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="113" />
            <source>%s (from the file)</source>
            <translation>%s（取自文件）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="117" />
            <source>%s (guessed — please confirm)</source>
            <translation>%s（推测——请确认）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="128" />
            <source>The coordinates are probably GCJ-02 (Amap/Tencent): they will be converted to CGCS2000 (about 300–600 m). Choose another datum if you know better.</source>
            <translation>坐标很可能是 GCJ-02（高德/腾讯火星坐标）：将转换为 CGCS2000（约偏移 300–600 米）。如确知不是，请选择其他坐标系。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="131" />
            <source>The coordinates are probably BD-09 (Baidu): they will be converted to CGCS2000. Choose another datum if you know better.</source>
            <translation>坐标很可能是 BD-09（百度坐标）：将转换为 CGCS2000。如确知不是，请选择其他坐标系。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="139" />
            <source>GCJ-02 (Amap/Tencent), converted to CGCS2000</source>
            <translation>GCJ-02（高德/腾讯），转换为 CGCS2000</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="141" />
            <source>BD-09 (Baidu), converted to CGCS2000</source>
            <translation>BD-09（百度），转换为 CGCS2000</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/import_dialog.py" line="156" />
            <source>Preview: %s</source>
            <translation>预览：%s</translation>
        </message>
    </context>
    <context>
        <name>SplitAlongRoadTool</name>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="408" />
            <source>No road here: click a road of a snapping layer.</source>
            <translation>此处没有道路：请点击捕捉图层中的道路。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="410" />
            <source>Split grid along road</source>
            <translation>沿道路分割网格</translation>
        </message>
    </context>
    <context>
        <name>SplitTool</name>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="237" />
            <source>Split grid</source>
            <translation>分割网格</translation>
        </message>
    </context>
    <context>
        <name>StaffingDialog</name>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="35" />
            <source>Staffing quotas</source>
            <translation>定人定额</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="41" />
            <source>e.g. 在编=2；协管=8；城管队员&gt;=2；场所:station=1</source>
            <translation>如 在编=2；协管=8；城管队员&gt;=2；服务站=1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="45" />
            <source>Quota per grid of each level</source>
            <translation>各层级每个网格的定额</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="48" />
            <source>Quota of single grids (replaces the level's items of the same name)</source>
            <translation>单个网格的定额（替换其层级定额中的同名项）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="51" />
            <source>Grid</source>
            <translation>网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="51" />
            <source>Level's quota</source>
            <translation>层级定额</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="52" />
            <source>This grid's quota</source>
            <translation>本网格定额</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="70" />
            <source>Grid code or name</source>
            <translation>网格编码或名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="71" />
            <source>Add grid</source>
            <translation>添加网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="73" />
            <source>Remove selected</source>
            <translation>移除所选</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="84" />
            <source>An item is NAME=COUNT (exactly), NAME&gt;=COUNT (at least) or NAME&lt;=COUNT (at most); NAME is a role (网格长, 副网格长 …), a category (在编, 协管 …), a post, or a place kind (station); 网格长[协管]=1 counts a 网格长 who is a 协管.</source>
            <translation>每项写作 名称=人数（恰好）、名称&gt;=人数（至少）或 名称&lt;=人数（至多）；名称可以是角色（网格长、副网格长……）、人员类别（在编、协管……）、职务或场所类型（服务站）；网格长[协管]=1 表示由协管担任的网格长。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="106" />
            <source>Staffing totals (quota × grids = required; present):</source>
            <translation>人员配备汇总（定额 × 网格数 = 应配；现有）：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="127" />
            <source>(no such grid)</source>
            <translation>（无此网格）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/staffing_dialog.py" line="218" />
            <source>Quota of a grid that no longer exists (remove it): %1</source>
            <translation>以下网格已不存在，其定额不再使用（请移除）：%1</translation>
        </message>
        <message numerus="yes">
            <location filename="../../gridmap/ui/staffing_dialog.py" line="223" />
            <source>%n grid item(s) off their quota</source>
            <translation>
                <numerusform>%n 项不符合定额</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>TemplateDialog</name>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="43" />
            <source>Annex table from a template</source>
            <translation>按模板导出附件表</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="51" />
            <source>Template file…</source>
            <translation>模板文件…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="53" />
            <source>Keep this template in the plan</source>
            <translation>把此模板保存到方案中</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="55" />
            <source>New template…</source>
            <translation>新建模板…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="57" />
            <source>Edit template…</source>
            <translation>编辑模板…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="58" />
            <source>A built-in template is not changed: editing it makes a copy</source>
            <translation>内置模板不会被修改：编辑时生成副本</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="62" />
            <source>The template's level</source>
            <translation>模板指定的层级</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="67" />
            <source>Template</source>
            <translation>模板</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="73" />
            <source>Level listed</source>
            <translation>列出的层级</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="81" />
            <location filename="../../gridmap/ui/template_dialog.py" line="175" />
            <source>Save as…</source>
            <translation>另存为…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="117" />
            <source>new_template</source>
            <translation>新模板</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="127" />
            <source>_copy</source>
            <translation>_副本</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="153" />
            <source>Template file</source>
            <translation>模板文件</translation>
        </message>
    </context>
    <context>
        <name>TemplateEditor</name>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="292" />
            <source>Table template</source>
            <translation>附件表模板</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="298" />
            <source>{plan} is replaced by the plan's name, {level} by the level listed</source>
            <translation>{plan} 替换为方案名称，{level} 替换为所列层级</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="307" />
            <source>One row per grid</source>
            <translation>每个网格一行</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="308" />
            <source>One row per person and role</source>
            <translation>每人每项职责一行</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="311" />
            <source>Fields the rows are sorted by, e.g. parent.code, code</source>
            <translation>排序字段，如 parent.code, code</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="312" />
            <source>合计 row (number of rows)</source>
            <translation>合计行（行数）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="317" />
            <source>Landscape</source>
            <translation>横向</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="323" />
            <source>Template name</source>
            <translation>模板名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="324" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="325" />
            <source>Annex label</source>
            <translation>附件编号</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="327" />
            <source>Sort by</source>
            <translation>排序</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="329" />
            <source>Level listed</source>
            <translation>列出的层级</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="334" />
            <source>Paper</source>
            <translation>纸张</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="338" />
            <source>Header (as printed)</source>
            <translation>表头（按文件原文）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="338" />
            <source>Group header (merged row)</source>
            <translation>分组表头（合并行）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="339" />
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="339" />
            <source>Merge repeats</source>
            <translation>合并相同值</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="340" />
            <source>Width (characters)</source>
            <translation>列宽（字符）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="346" />
            <source>Add column</source>
            <translation>添加列</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="347" />
            <source>Remove column</source>
            <translation>删除列</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="348" />
            <source>Move up</source>
            <translation>上移</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="349" />
            <source>Move down</source>
            <translation>下移</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="350" />
            <source>New column</source>
            <translation>新列</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="357" />
            <source>Columns</source>
            <translation>列</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="369" />
            <source>Preview</source>
            <translation>预览</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="382" />
            <source>Save into the plan</source>
            <translation>保存到方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="383" />
            <location filename="../../gridmap/ui/template_dialog.py" line="545" />
            <source>Save as JSON file…</source>
            <translation>另存为模板文件（*.json）…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="437" />
            <source>fit</source>
            <translation>自动</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="525" />
            <source>Give the template a name.</source>
            <translation>请填写模板名称。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/template_dialog.py" line="537" />
            <source>%1 is a built-in template's name; choose another.</source>
            <translation>%1 是内置模板的名称，请换一个名称。</translation>
        </message>
    </context>
    <context>
        <name>TileCacheDialog</name>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="292" />
            <source>Tile cache</source>
            <translation>瓦片缓存</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="305" />
            <source>never</source>
            <translation>从不</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="306" />
            <source>Clear the cache</source>
            <translation>清空缓存</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="307" />
            <source>Refresh tiles in this view</source>
            <translation>刷新当前视图的瓦片</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="309" />
            <source>Folder</source>
            <translation>文件夹</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="310" />
            <source>In use</source>
            <translation>已用</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="311" />
            <source>Size limit</source>
            <translation>容量上限</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="312" />
            <source>Ask again after (days)</source>
            <translation>过期天数（之后重新请求）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="329" />
            <source>%1 MB in %2 tile(s)</source>
            <translation>%1 MB，共 %2 个瓦片</translation>
        </message>
    </context>
    <context>
        <name>TileSourceDialog</name>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="62" />
            <source>Add tile base map</source>
            <translation>添加瓦片底图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="67" />
            <source>Custom URL template</source>
            <translation>自定义 URL 模板</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="68" />
            <source>WMTS service (read its capabilities)</source>
            <translation>WMTS 服务（读取能力文档）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="72" />
            <source>Read capabilities</source>
            <translation>读取能力文档</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="80" />
            <source>Service key (Tianditu tk, token of a mirror)</source>
            <translation>服务密钥（天地图 tk、镜像的令牌）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="82" />
            <source>Kept in your user settings, never saved in the plan or its exports.</source>
            <translation>保存在您的用户设置中，绝不写入方案或导出文件。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="84" />
            <source>Provider uses GCJ-02 (offset, e.g. Amap/Tencent)</source>
            <translation>服务商使用 GCJ-02 坐标（有偏移，如高德、腾讯）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="94" />
            <source>to</source>
            <translation>至</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="110" />
            <source>KVP (GetTile parameters)</source>
            <translation>KVP（GetTile 参数）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="111" />
            <source>REST (resource URL)</source>
            <translation>REST（资源地址）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="113" />
            <source>Layer</source>
            <translation>图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="114" />
            <source>Style</source>
            <translation>样式</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="115" />
            <source>Tile matrix set</source>
            <translation>瓦片矩阵集</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="116" />
            <source>Format</source>
            <translation>格式</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="117" />
            <source>Requests</source>
            <translation>请求方式</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="118" />
            <source>WMTS service</source>
            <translation>WMTS 服务</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="124" />
            <source>Provider</source>
            <translation>服务商</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="125" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="126" />
            <source>URL template</source>
            <translation>URL 模板</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="127" />
            <source>Subdomains</source>
            <translation>子域名</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="128" />
            <source>Key</source>
            <translation>密钥</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="130" />
            <source>Zoom levels</source>
            <translation>缩放级别</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="186" />
            <source>Cannot read the capabilities: %1</source>
            <translation>无法读取能力文档：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="191" />
            <source>Not a WMTS capabilities document: %1</source>
            <translation>不是 WMTS 能力文档：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="202" />
            <source>%1 layer(s), %2 tile matrix set(s)</source>
            <translation>%1 个图层，%2 个瓦片矩阵集</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="243" />
            <source>The lowest zoom level is above the highest</source>
            <translation>最小缩放级别高于最大缩放级别</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="252" />
            <source>The URL template needs {z}, {x} and {y}</source>
            <translation>URL 模板需要包含 {z}、{x} 和 {y}</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/tile_dialogs.py" line="283" />
            <source>Tile map</source>
            <translation>瓦片地图</translation>
        </message>
    </context>
    <context>
        <name>VersionsDialog</name>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="33" />
            <source>grids</source>
            <translation>网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="33" />
            <source>units</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="33" />
            <source>people</source>
            <translation>人员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="33" />
            <source>roles</source>
            <translation>职责</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="34" />
            <source>segments</source>
            <translation>路段</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="34" />
            <source>places</source>
            <translation>场所数</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="34" />
            <source>base maps</source>
            <translation>底图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="35" />
            <source>jurisdiction</source>
            <translation>辖区</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="169" />
            <source>Plan versions and comparison</source>
            <translation>方案版本与再版对照</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="170" />
            <source>Versions kept in the project file</source>
            <translation>项目文件中保存的版本</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="171" />
            <source>Version</source>
            <translation>版本</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="171" />
            <source>In force</source>
            <translation>施行日期</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="171" />
            <source>Author</source>
            <translation>编制人</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="171" />
            <source>Saved at</source>
            <translation>保存时间</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="172" />
            <source>Note</source>
            <translation>说明</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="172" />
            <source>Changes since the previous version</source>
            <translation>较上一版本的变化</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="173" />
            <source>&amp;Restore as the working plan…</source>
            <translation>恢复为当前方案(&amp;R)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="174" />
            <source>&amp;Delete version</source>
            <translation>删除版本(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="175" />
            <source>Save version as a plan &amp;file…</source>
            <translation>版本另存为方案文件(&amp;F)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="176" />
            <source>New version name:</source>
            <translation>新版本名称：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="177" />
            <source>In force from:</source>
            <translation>施行日期：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="178" />
            <source>Note:</source>
            <translation>说明：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="179" />
            <source>e.g. 2025 adjustment draft</source>
            <translation>例如：2025年调整稿</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="180" />
            <source>YYYY-MM-DD (optional)</source>
            <translation>年-月-日，如 2025-03-01（可不填）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="181" />
            <source>&amp;Save the present plan as a version</source>
            <translation>将当前方案保存为版本(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="182" />
            <source>Compare (re-issue)</source>
            <translation>再版对照</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="183" />
            <source>Earlier:</source>
            <translation>原方案：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="184" />
            <source>Later:</source>
            <translation>新方案：</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="185" />
            <source>&amp;Compare</source>
            <translation>对照(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="186" />
            <source>No.</source>
            <translation>序号</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="186" />
            <source>Change</source>
            <translation>变更类型</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="186" />
            <source>Old grids</source>
            <translation>原网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="186" />
            <source>New grids</source>
            <translation>新网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="187" />
            <source>Area and details</source>
            <translation>面积与说明</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="188" />
            <source>Export change &amp;table (XLSX, DOCX, CSV)…</source>
            <translation>导出变更对照表(&amp;T)（XLSX、DOCX、CSV）…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="189" />
            <source>Export change &amp;map (PDF, PNG)…</source>
            <translation>导出变更示意图(&amp;M)（PDF、PNG）…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="190" />
            <source>Side by side / s&amp;wipe view…</source>
            <translation>左右/卷帘对照视图(&amp;W)…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="212" />
            <location filename="../../gridmap/ui/versions_dialog.py" line="356" />
            <source>Working plan (now)</source>
            <translation>当前方案（现在）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="213" />
            <source>Another plan file…</source>
            <translation>其他方案文件…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="258" />
            <source>Save version %1</source>
            <translation>保存版本 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="265" />
            <source>Saved version %1; it is being written to the server.</source>
            <translation>已保存版本 %1，正在写入服务器。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="267" />
            <source>Saved version %1 in the project file.</source>
            <translation>已将版本 %1 保存到项目文件。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="269" />
            <source>Saved version %1; save the plan to keep it in the file.</source>
            <translation>已保存版本 %1；请保存方案，版本才会写入文件。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="286" />
            <source>Restore version</source>
            <translation>恢复版本</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="287" />
            <source>Make version %1 the working plan? The present plan is kept as a version if it is in none; Undo takes the restore back.</source>
            <translation>将版本 %1 恢复为当前方案？当前方案若未存为版本，会先自动存为一个版本；“撤销”可取消恢复。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="297" />
            <source>The working plan is the same as version %1.</source>
            <translation>当前方案与版本 %1 相同。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="304" />
            <source>Restore version %1</source>
            <translation>恢复版本 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="306" />
            <source>Version %1 is the working plan (not yet saved to the file; Undo takes it back).</source>
            <translation>版本 %1 已恢复为当前方案（尚未保存到文件；“撤销”可取消）。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="307" />
            <source>The plan before was kept as version %1.</source>
            <translation>恢复前的方案已存为版本 %1。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="315" />
            <source>Delete version</source>
            <translation>删除版本</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="315" />
            <source>Delete version %1? The other versions stay as they are.</source>
            <translation>删除版本 %1？其他版本保持不变。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="323" />
            <source>Delete version %1</source>
            <translation>删除版本 %1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="325" />
            <source>Deleted version %1 (Undo takes it back).</source>
            <translation>已删除版本 %1（“撤销”可恢复）。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="337" />
            <source>Save version as a plan file</source>
            <translation>版本另存为方案文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="348" />
            <source>Version %1 written to %2.</source>
            <translation>版本 %1 已写入 %2。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="359" />
            <source>Plan file to compare</source>
            <translation>要对照的方案文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="409" />
            <source>Comparing…</source>
            <translation>正在对照…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="410" />
            <source>Comparing plans…</source>
            <translation>正在对照方案…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="420" />
            <source>matched by lineage (shared history)</source>
            <translation>按网格沿革匹配（共同历史）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="421" />
            <source>matched by code (%1), then by area overlap (%2)</source>
            <translation>先按编码匹配 %1 个，再按面积重叠匹配 %2 个</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="425" />
            <source>%1 grid(s) with people changed</source>
            <translation>%1 个网格人员有变化</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="426" />
            <source>no grid changed</source>
            <translation>网格无变化</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="429" />
            <source>People</source>
            <translation>人员</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="519" />
            <source>Export change table</source>
            <translation>导出变更对照表</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="529" />
            <source>Change table written to %1.</source>
            <translation>变更对照表已写入 %1。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="539" />
            <source>Export change map</source>
            <translation>导出变更示意图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="556" />
            <source>Change map written to %1.</source>
            <translation>变更示意图已写入 %1。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/versions_dialog.py" line="562" />
            <location filename="../../gridmap/ui/versions_dialog.py" line="563" />
            <source>Drawing the change map…</source>
            <translation>正在绘制变更示意图…</translation>
        </message>
    </context>
    <context>
        <name>VertexTool</name>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="505" />
            <source>Move vertex</source>
            <translation>移动顶点</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="514" />
            <source>Double-click on a boundary to add a vertex.</source>
            <translation>在边界上双击以添加顶点。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="520" />
            <source>Add vertex</source>
            <translation>添加顶点</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/edit_tools.py" line="532" />
            <source>Delete vertex</source>
            <translation>删除顶点</translation>
        </message>
    </context>
    <context>
        <name>_JurisdictionPage</name>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="46" />
            <source>Plan and jurisdiction</source>
            <translation>方案与辖区</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="47" />
            <source>New plan</source>
            <translation>新建方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="50" />
            <source>Take a polygon from a layer file</source>
            <translation>从图层文件中选取多边形</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="51" />
            <source>Draw it on the map after this wizard</source>
            <translation>完成向导后在地图上绘制</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="57" />
            <source>Browse…</source>
            <translation>浏览…</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="61" />
            <source>Search by name or administrative code (e.g. 翁源 or 440229)</source>
            <translation>按名称或行政区划代码查找（如 翁源 或 440229）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="71" />
            <source>Plan name</source>
            <translation>方案名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="74" />
            <source>Find</source>
            <translation>查找</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="94" />
            <source>Layer with the jurisdiction</source>
            <translation>含辖区范围的图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="96" />
            <source>Vector files</source>
            <translation>矢量文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="97" />
            <source>All files</source>
            <translation>所有文件</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="115" />
            <source>no layer</source>
            <translation>没有图层</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="123" />
            <location filename="../../gridmap/ui/wizard.py" line="140" />
            <source>Cannot read %1: %2</source>
            <translation>无法读取 %1：%2</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="143" />
            <source>%1 has no polygons.</source>
            <translation>%1 中没有多边形。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="147" />
            <source>%1 polygons.</source>
            <translation>共 %1 个多边形。</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="177" />
            <source>%1 grid plan</source>
            <translation>%1网格划分方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="191" />
            <source>Choose a layer file and a polygon, or choose to draw.</source>
            <translation>请选择图层文件和多边形，或选择手工绘制。</translation>
        </message>
    </context>
    <context>
        <name>_OptionsPage</name>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="200" />
            <source>Levels, coordinates and codes</source>
            <translation>层级、坐标系与编码</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="202" />
            <source>Two levels: large grid / small grid</source>
            <translation>两级：大网格 / 小网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="203" />
            <source>Five levels: city / district / street / community / unit grid</source>
            <translation>五级：市 / 区 / 街道 / 社区 / 单元网格</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="205" />
            <source>The names of the levels, top first, separated by /</source>
            <translation>各层级名称，自上而下，用“/”分隔</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="207" />
            <source>Keep the base maps of the current plan</source>
            <translation>沿用当前方案的底图</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="219" />
            <source>Level preset</source>
            <translation>层级预设</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="220" />
            <source>Level names</source>
            <translation>层级名称</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="221" />
            <source>Code scheme</source>
            <translation>编码方案</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="222" />
            <source>County code (GB/T 2260)</source>
            <translation>区县代码（GB/T 2260）</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="223" />
            <source>Coordinate system</source>
            <translation>坐标系</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="239" />
            <source>Suggested from the location: %1</source>
            <translation>根据位置推荐：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="245" />
            <source>Unknown coordinate system: %1</source>
            <translation>未知坐标系：%1</translation>
        </message>
        <message>
            <location filename="../../gridmap/ui/wizard.py" line="254" />
            <source>The county code has 6 digits.</source>
            <translation>区县代码应为 6 位数字。</translation>
        </message>
    </context>
    <context>
        <name>win</name>
        <message>
            <location filename="../../gridmap/ui/app.py" line="90" />
            <source>Sample plan not found (%1). Use Project → Open or New plan.</source>
            <translation>未找到示例方案（%1）。请使用“项目 → 打开”或“新建方案”。</translation>
        </message>
    </context>
</TS>