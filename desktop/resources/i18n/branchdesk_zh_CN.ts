<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <source>BranchDesk cannot open its database.</source>
        <translation>BranchDesk 无法打开数据库。</translation>
    </message>
    <message>
        <source>{error}

Check the database in the settings, or ask whoever looks after the branch&apos;s server. The details are in the log file:
{path}</source>
        <translation>{error}

请在设置中检查数据库，或联系负责分公司服务器的人员。详细信息已写入日志文件：
{path}</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Start BranchDesk again to use the new settings.</source>
        <translation>请重新启动 BranchDesk 以使用新的设置。</translation>
    </message>
</context>
<context>
    <name>ArriveDialog</name>
    <message>
        <source>Arrived</source>
        <translation>到达现场</translation>
    </message>
    <message>
        <source>Record the arrival</source>
        <translation>记录到达</translation>
    </message>
    <message>
        <source>Engineer:</source>
        <translation>工程师：</translation>
    </message>
    <message>
        <source>Appointment:</source>
        <translation>预约时间：</translation>
    </message>
    <message>
        <source>Arrived at:</source>
        <translation>到达时间：</translation>
    </message>
    <message>
        <source>On time</source>
        <translation>准时</translation>
    </message>
    <message>
        <source>Late by {minutes} min</source>
        <translation>迟到 {minutes} 分钟</translation>
    </message>
</context>
<context>
    <name>AuditAction</name>
    <message>
        <source>Created</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Failed login</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Viewed personal data</source>
        <translation>查看个人信息</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>合并</translation>
    </message>
</context>
<context>
    <name>AuditLogPage</name>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>any user</source>
        <translation>全部用户</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>All record types</source>
        <translation>全部记录类型</translation>
    </message>
    <message>
        <source>record number or summary</source>
        <translation>记录编号或摘要</translation>
    </message>
    <message>
        <source>Reset &amp;filters</source>
        <translation>重置筛选(&amp;F)</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <source>F&amp;rom:</source>
        <translation>从(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>到(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Action:</source>
        <translation>操作(&amp;A)：</translation>
    </message>
    <message>
        <source>Record t&amp;ype:</source>
        <translation>记录类型(&amp;Y)：</translation>
    </message>
    <message>
        <source>Te&amp;xt:</source>
        <translation>文本(&amp;X)：</translation>
    </message>
    <message>
        <source>Entries shown: {n}, newest first; scroll down for older ones.</source>
        <translation>已显示最新的 {n} 条记录；向下滚动可查看更早的记录。</translation>
    </message>
    <message>
        <source>Entries: {n}</source>
        <translation>共 {n} 条记录</translation>
    </message>
    <message>
        <source>Select an entry to see the values before and after.</source>
        <translation>选择一条记录，查看修改前后的值。</translation>
    </message>
    <message>
        <source>{action} · {type} {id} · by {user} at {time}</source>
        <translation>{action} · {type} {id} · 操作人 {user}，时间 {time}</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Record type</source>
        <translation>记录类型</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录编号</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
</context>
<context>
    <name>Backup</name>
    <message>
        <source>Database file {path} does not exist</source>
        <translation>数据库文件 {path} 不存在</translation>
    </message>
    <message>
        <source>The backup cannot overwrite the database itself</source>
        <translation>备份不能覆盖数据库文件本身</translation>
    </message>
    <message>
        <source>The backup failed its integrity check: {problem}</source>
        <translation>备份未通过完整性检查：{problem}</translation>
    </message>
    <message>
        <source>{path} is not a file</source>
        <translation>{path} 不是文件</translation>
    </message>
    <message>
        <source>{path} is not a SQLite database ({error})</source>
        <translation>{path} 不是 SQLite 数据库（{error}）</translation>
    </message>
    <message>
        <source>{path} is not a BranchDesk database</source>
        <translation>{path} 不是 BranchDesk 数据库</translation>
    </message>
    <message>
        <source>Restore refused: {problem}</source>
        <translation>拒绝恢复：{problem}</translation>
    </message>
    <message>
        <source>Restore failed and was undone: {problem}</source>
        <translation>恢复失败，已撤销：{problem}</translation>
    </message>
    <message>
        <source>This is a PostgreSQL database: back it up on the server with pg_dump (see the README).</source>
        <translation>这是 PostgreSQL 数据库：请在服务器上用 pg_dump 备份（见 README）。</translation>
    </message>
</context>
<context>
    <name>BackupPage</name>
    <message>
        <source>&amp;Back up now…</source>
        <translation>立即备份(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Restore…</source>
        <translation>恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>Re&amp;fresh list</source>
        <translation>刷新列表(&amp;F)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>A backup is a consistent copy of the database, made while everybody keeps working. Keep copies on another disk as well. Database: {path}</source>
        <translation>备份是数据库的一致性副本，备份期间大家可以照常工作。请另在其他磁盘上保存副本。数据库：{path}</translation>
    </message>
    <message>
        <source>Backups in {folder}:</source>
        <translation>{folder} 中的备份：</translation>
    </message>
    <message>
        <source>Back up the database to</source>
        <translation>将数据库备份到</translation>
    </message>
    <message>
        <source>SQLite database (*.sqlite3)</source>
        <translation>SQLite 数据库 (*.sqlite3)</translation>
    </message>
    <message>
        <source>Backing up the database…</source>
        <translation>正在备份数据库…</translation>
    </message>
    <message>
        <source>Restore the database from</source>
        <translation>从以下备份恢复数据库</translation>
    </message>
    <message>
        <source>Restore the database</source>
        <translation>恢复数据库</translation>
    </message>
    <message>
        <source>Replace the database with the backup {file}?

Everything entered since that backup is lost. Make sure nobody else is using BranchDesk. The current database is kept as a safety copy in {folder}.

BranchDesk closes when the restore is done; start it again.</source>
        <translation>用备份 {file} 替换当前数据库吗？

该备份之后录入的所有内容都将丢失。请确认没有其他人正在使用 BranchDesk。当前数据库会作为安全副本保存在 {folder} 中。

恢复完成后 BranchDesk 将关闭，请重新启动。</translation>
    </message>
    <message>
        <source>Restoring the database…</source>
        <translation>正在恢复数据库…</translation>
    </message>
    <message>
        <source>Backup saved and checked: {path}</source>
        <translation>备份已保存并通过检查：{path}</translation>
    </message>
    <message>
        <source>The database was restored from {file}.</source>
        <translation>数据库已从 {file} 恢复。</translation>
    </message>
    <message>
        <source>The database as it was before is kept as {path}.</source>
        <translation>恢复前的数据库已保存为 {path}。</translation>
    </message>
    <message>
        <source>BranchDesk closes now; start it again to work with the restored data.</source>
        <translation>BranchDesk 现在关闭；请重新启动以使用恢复后的数据。</translation>
    </message>
    <message>
        <source>Database restored</source>
        <translation>数据库已恢复</translation>
    </message>
    <message>
        <source>It failed unexpectedly: {error}. The details are in the log file.</source>
        <translation>发生意外错误：{error}。详细信息见日志文件。</translation>
    </message>
    <message>
        <source>Backup and restore</source>
        <translation>备份与恢复</translation>
    </message>
</context>
<context>
    <name>Bearer</name>
    <message>
        <source>Branch office</source>
        <translation>分公司承担</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>公司承担</translation>
    </message>
    <message>
        <source>Manufacturing cost</source>
        <translation>制造成本</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户承担</translation>
    </message>
</context>
<context>
    <name>BinsDialog</name>
    <message>
        <source>New bins</source>
        <translation>新建库位</translation>
    </message>
    <message>
        <source>Bin &amp;code:</source>
        <translation>库位编码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Zone (区):</source>
        <translation>区(&amp;Z)：</translation>
    </message>
    <message>
        <source>&amp;Shelves (架):</source>
        <translation>架(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Layers (层):</source>
        <translation>层(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Positions (位):</source>
        <translation>位(&amp;P)：</translation>
    </message>
    <message>
        <source>One bin</source>
        <translation>单个库位</translation>
    </message>
    <message>
        <source>A range of bins</source>
        <translation>一批库位</translation>
    </message>
    <message>
        <source>C&amp;reate</source>
        <translation>创建(&amp;R)</translation>
    </message>
    <message>
        <source>Zone-shelf-layer-position, e.g. A-03-2-05.</source>
        <translation>区-架-层-位，例如 A-03-2-05。</translation>
    </message>
    <message>
        <source>Not a bin code yet: zone letter, two-digit shelf, one-digit layer, two-digit position, e.g. A-03-2-05.</source>
        <translation>还不是有效的库位编码：区字母、两位架号、一位层号、两位位号，例如 A-03-2-05。</translation>
    </message>
    <message>
        <source>Zone {zone}, shelf {shelf}, layer {layer}, position {position}.</source>
        <translation>{zone} 区，{shelf} 架，{layer} 层，{position} 位。</translation>
    </message>
    <message>
        <source>{count} bins, {first} to {last}.</source>
        <translation>{count} 个库位，{first} 至 {last}。</translation>
    </message>
    <message>
        <source>Choose a zone and ranges whose first value is not above the last.</source>
        <translation>请选择区，并让每个范围的起始值不大于结束值。</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
</context>
<context>
    <name>BreakdownTable</name>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
</context>
<context>
    <name>Channel</name>
    <message>
        <source>Hotline</source>
        <translation>服务热线</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>来访</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>信函</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>网上</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Complaint No.</source>
        <translation>投诉编号</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Serial No.</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Safety hazard</source>
        <translation>安全隐患</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <source>Customer request</source>
        <translation>客户诉求</translation>
    </message>
    <message>
        <source>First reply</source>
        <translation>首次答复</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Responsible department</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>处理方案</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案时间</translation>
    </message>
    <message>
        <source>Approved costs</source>
        <translation>已批准费用</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Part code</source>
        <translation>备件编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Specification</source>
        <translation>规格</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>现有库存</translation>
    </message>
    <message>
        <source>Reorder point</source>
        <translation>订货点</translation>
    </message>
    <message>
        <source>ABC</source>
        <translation>ABC</translation>
    </message>
    <message>
        <source>Last issue</source>
        <translation>最近出库</translation>
    </message>
    <message>
        <source>Slow-moving</source>
        <translation>滞用</translation>
    </message>
    <message>
        <source>Bin</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>单据</translation>
    </message>
    <message>
        <source>Overdue / due in</source>
        <translation>超期 / 距到期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Order / complaint No.</source>
        <translation>服务单号 / 投诉编号</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>关联单号</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Safety stock</source>
        <translation>安全库存</translation>
    </message>
    <message>
        <source>Monthly use</source>
        <translation>月用量</translation>
    </message>
    <message>
        <source>Suggested order</source>
        <translation>建议订货量</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Importance</source>
        <translation>客户等级</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>建档时间</translation>
    </message>
    <message>
        <source>Order No.</source>
        <translation>服务单号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>服务类别</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Engineer</source>
        <translation>工程师</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约时间</translation>
    </message>
    <message>
        <source>Finish by</source>
        <translation>承诺完工时间</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Project / contract</source>
        <translation>项目 / 合同</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>服务需求</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>保修类别</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到达时间</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完工时间</translation>
    </message>
</context>
<context>
    <name>Common</name>
    <message>
        <source>BranchDesk</source>
        <translation>BranchDesk</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong that BranchDesk did not expect.</source>
        <translation>BranchDesk 遇到了一个意外问题。</translation>
    </message>
    <message>
        <source>Your open windows and what you typed in them are still there: check that your last step was saved, then carry on, or restart BranchDesk if the problem repeats.

The details were written to the log file:
{path}</source>
        <translation>已打开的窗口和其中输入的内容都还在：请确认上一步操作已保存，然后继续工作；如果问题反复出现，请重新启动 BranchDesk。

详细信息已写入日志文件：
{path}</translation>
    </message>
</context>
<context>
    <name>ComplaintAction</name>
    <message>
        <source>Register</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Acknowledge (first reply)</source>
        <translation>确认（首次答复）</translation>
    </message>
    <message>
        <source>Initial assessment</source>
        <translation>初步评估</translation>
    </message>
    <message>
        <source>Accept for handling</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Do not accept</source>
        <translation>不受理</translation>
    </message>
    <message>
        <source>Record investigation</source>
        <translation>记录调查结果</translation>
    </message>
    <message>
        <source>Decide</source>
        <translation>决定处理方案</translation>
    </message>
    <message>
        <source>Decision told to customer</source>
        <translation>已告知客户处理方案</translation>
    </message>
    <message>
        <source>Customer accepts</source>
        <translation>客户接受</translation>
    </message>
    <message>
        <source>Customer rejects</source>
        <translation>客户不接受</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>升级处理</translation>
    </message>
    <message>
        <source>Close as resolved</source>
        <translation>结案（已解决）</translation>
    </message>
    <message>
        <source>Close as unresolved</source>
        <translation>结案（未解决）</translation>
    </message>
    <message>
        <source>Withdrawn by customer</source>
        <translation>客户撤诉</translation>
    </message>
    <message>
        <source>Mark as duplicate</source>
        <translation>标记为重复</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>移交</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>添加备注</translation>
    </message>
</context>
<context>
    <name>ComplaintClass</name>
    <message>
        <source>Quality</source>
        <translation>质量问题</translation>
    </message>
    <message>
        <source>Non-quality</source>
        <translation>非质量问题</translation>
    </message>
    <message>
        <source>Consultation</source>
        <translation>咨询</translation>
    </message>
</context>
<context>
    <name>ComplaintDialog</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Added by</source>
        <translation>添加人</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>&amp;Open file</source>
        <translation>打开文件(&amp;O)</translation>
    </message>
    <message>
        <source>Add &amp;files…</source>
        <translation>添加文件(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>详细信息(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>处理记录(&amp;H)</translation>
    </message>
    <message>
        <source>A&amp;ttachments</source>
        <translation>附件(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Costs</source>
        <translation>费用(&amp;C)</translation>
    </message>
    <message>
        <source>Pre&amp;view form</source>
        <translation>预览表单(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Print form…</source>
        <translation>打印表单(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Save form as PDF…</source>
        <translation>表单另存为 PDF(&amp;S)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Complaint {number}</source>
        <translation>投诉 {number}</translation>
    </message>
    <message>
        <source>Owner: {name}</source>
        <translation>负责人：{name}</translation>
    </message>
    <message>
        <source>Closed {time}</source>
        <translation>已于 {time} 结案</translation>
    </message>
    <message>
        <source>Overdue by {time} (due {due})</source>
        <translation>已超期 {time}（截止 {due}）</translation>
    </message>
    <message>
        <source>Time left: {time} (due {due})</source>
        <translation>剩余时间：{time}（截止 {due}）</translation>
    </message>
    <message>
        <source>{step}: done. Now {status}.</source>
        <translation>{step}：已完成。当前状态：{status}。</translation>
    </message>
    <message>
        <source>Open file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <source>No program opens this kind of file here. It was saved to:
{path}</source>
        <translation>本机没有可以打开此类文件的程序。文件已保存到：
{path}</translation>
    </message>
    <message>
        <source>Nothing you can do in this state.</source>
        <translation>当前状态下您没有可执行的操作。</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>接收登记</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <source>Received by</source>
        <translation>接收人</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Serial no.</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Purchased</source>
        <translation>购买日期</translation>
    </message>
    <message>
        <source>Invoice no.</source>
        <translation>发票号</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉情况</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Safety hazard</source>
        <translation>安全隐患</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <source>In the customer&apos;s words</source>
        <translation>客户原话</translation>
    </message>
    <message>
        <source>Customer asks for</source>
        <translation>客户诉求</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation>处理情况</translation>
    </message>
    <message>
        <source>First reply</source>
        <translation>首次答复</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Department responsible</source>
        <translation>责任部门</translation>
    </message>
    <message>
        <source>Person responsible</source>
        <translation>责任人</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>处理方式</translation>
    </message>
    <message>
        <source>Decided by</source>
        <translation>决定人</translation>
    </message>
    <message>
        <source>Customer accepted</source>
        <translation>客户接受方案</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>Recourse told</source>
        <translation>已告知的解决途径</translation>
    </message>
    <message>
        <source>Duplicate of</source>
        <translation>重复于投诉</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案时间</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Contract clause</source>
        <translation>合同条款</translation>
    </message>
    <message>
        <source>Inspection verdict</source>
        <translation>检验机构结论</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>处理方案</translation>
    </message>
    <message>
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <source>&amp;History ({count})</source>
        <translation>处理记录(&amp;H)（{count}）</translation>
    </message>
    <message>
        <source>{kb} KB</source>
        <translation>{kb} KB</translation>
    </message>
    <message>
        <source>A&amp;ttachments ({count})</source>
        <translation>附件(&amp;T)（{count}）</translation>
    </message>
</context>
<context>
    <name>ComplaintStatus</name>
    <message>
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Assessed</source>
        <translation>已评估</translation>
    </message>
    <message>
        <source>Investigating</source>
        <translation>调查中</translation>
    </message>
    <message>
        <source>Decision made</source>
        <translation>方案已决定</translation>
    </message>
    <message>
        <source>Decision communicated</source>
        <translation>方案已告知</translation>
    </message>
    <message>
        <source>Rejected by customer</source>
        <translation>客户不接受</translation>
    </message>
    <message>
        <source>Being carried out</source>
        <translation>执行中</translation>
    </message>
    <message>
        <source>Closed, resolved</source>
        <translation>已结案（已解决）</translation>
    </message>
    <message>
        <source>Closed, unresolved</source>
        <translation>已结案（未解决）</translation>
    </message>
    <message>
        <source>Not accepted</source>
        <translation>不受理</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>已撤诉</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>重复登记</translation>
    </message>
</context>
<context>
    <name>ComplaintViews</name>
    <message>
        <source>1 – minor</source>
        <translation>1 – 轻微</translation>
    </message>
    <message>
        <source>2 – moderate</source>
        <translation>2 – 一般</translation>
    </message>
    <message>
        <source>3 – serious</source>
        <translation>3 – 严重</translation>
    </message>
    <message>
        <source>4 – critical</source>
        <translation>4 – 重大</translation>
    </message>
    <message>
        <source>Photos, scans and documents ({patterns})</source>
        <translation>照片、扫描件和文档（{patterns}）</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>Complaints</name>
    <message>
        <source>Complaint register</source>
        <translation>客户投诉登记追踪表</translation>
    </message>
    <message>
        <source>{d}d {h}h</source>
        <translation>{d}天{h}小时</translation>
    </message>
    <message>
        <source>{h}h {m}m</source>
        <translation>{h}小时{m}分</translation>
    </message>
</context>
<context>
    <name>ComplaintsPage</name>
    <message>
        <source>&amp;New complaint…</source>
        <translation>登记投诉(&amp;N)…</translation>
    </message>
    <message>
        <source>F2</source>
        <translation>F2</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Enter or double-click</source>
        <translation>回车或双击</translation>
    </message>
    <message>
        <source>E&amp;xport to Excel…</source>
        <translation>导出到 Excel(&amp;X)…</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>Number, customer, phone or serial number</source>
        <translation>编号、客户、电话或序列号</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未结案</translation>
    </message>
    <message>
        <source>All classes</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <source>O&amp;verdue only</source>
        <translation>只看超期(&amp;V)</translation>
    </message>
    <message>
        <source>Receive&amp;d</source>
        <translation>接收日期(&amp;D)</translation>
    </message>
    <message>
        <source>{open} open, {overdue} overdue</source>
        <translation>未结 {open} 件，超期 {overdue} 件</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>已取消导出，未写入任何内容。</translation>
    </message>
    <message>
        <source>Exporting the complaint register</source>
        <translation>正在导出客户投诉登记追踪表</translation>
    </message>
    <message>
        <source>Complaint {number} registered; owner {owner}. Tell the customer the number.</source>
        <translation>投诉 {number} 已登记，负责人 {owner}。请将投诉编号告知客户。</translation>
    </message>
    <message>
        <source>Complaint register</source>
        <translation>投诉登记表</translation>
    </message>
    <message>
        <source>Export the complaint register</source>
        <translation>导出客户投诉登记追踪表</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n complaint(s) to {path}.</source>
        <translation>
            <numerusform>已将 %n 件投诉导出到 {path}。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Any owner</source>
        <translation>全部负责人</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>我的</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>状态(&amp;S)：</translation>
    </message>
    <message>
        <source>C&amp;lass:</source>
        <translation>分类(&amp;L)：</translation>
    </message>
    <message>
        <source>O&amp;wner:</source>
        <translation>负责人(&amp;W)：</translation>
    </message>
</context>
<context>
    <name>CostKind</name>
    <message>
        <source>Travel</source>
        <translation>差旅费</translation>
    </message>
    <message>
        <source>Lodging</source>
        <translation>住宿费</translation>
    </message>
    <message>
        <source>Allowance</source>
        <translation>补助</translation>
    </message>
    <message>
        <source>Repair</source>
        <translation>维修费</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>配件费</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>运输费</translation>
    </message>
    <message>
        <source>Packaging</source>
        <translation>包装费</translation>
    </message>
    <message>
        <source>Compensation</source>
        <translation>赔偿</translation>
    </message>
</context>
<context>
    <name>CostsPanel</name>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Borne by</source>
        <translation>承担方</translation>
    </message>
    <message>
        <source>Allocated to</source>
        <translation>摊销部门</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Entered by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>审批人</translation>
    </message>
    <message>
        <source>Approv&amp;e</source>
        <translation>批准(&amp;E)</translation>
    </message>
    <message>
        <source>Re&amp;ject</source>
        <translation>驳回(&amp;J)</translation>
    </message>
    <message>
        <source>Add a cost</source>
        <translation>添加费用</translation>
    </message>
    <message>
        <source>e.g. 1280.50</source>
        <translation>例如 1280.50</translation>
    </message>
    <message>
        <source>Allocated to (摊销部门)</source>
        <translation>摊销部门</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>Waits for the branch manager&apos;s approval: above your approval limit.</source>
        <translation>超出您的审批额度：等待分公司经理审批。</translation>
    </message>
    <message>
        <source>Cost added.</source>
        <translation>费用已添加。</translation>
    </message>
    <message>
        <source>Changed meanwhile</source>
        <translation>记录已被他人修改</translation>
    </message>
    <message>
        <source>Approved {amount}.</source>
        <translation>已批准 {amount}。</translation>
    </message>
    <message>
        <source>Rejected {amount}.</source>
        <translation>已驳回 {amount}。</translation>
    </message>
    <message>
        <source>Approved: {figures}  {words}</source>
        <translation>已批准：{figures}  {words}</translation>
    </message>
    <message>
        <source>Waiting for approval: {figures}</source>
        <translation>待审批：{figures}</translation>
    </message>
    <message>
        <source>Borne by: {parts}</source>
        <translation>承担方：{parts}</translation>
    </message>
</context>
<context>
    <name>CountImportReportDialog</name>
    <message>
        <source>Import of {file}</source>
        <translation>导入 {file}</translation>
    </message>
    <message>
        <source>The import was cancelled; nothing was saved.</source>
        <translation>已取消导入，未保存任何内容。</translation>
    </message>
    <message>
        <source>{rows} rows read: {counted} counts recorded, {found} of them parts found where the book had none; {blank} rows left blank (not counted).</source>
        <translation>已读取 {rows} 行：记录盘点数量 {counted} 条，其中 {found} 条为账面无而实物有的备件；{blank} 行为空（未盘点）。</translation>
    </message>
    <message>
        <source>Nothing was saved: {count} problems in {rows} rows. Correct the sheet and import it again; the counts are saved only when every row is right.</source>
        <translation>未保存任何内容：{rows} 行中有 {count} 处问题。请更正表格后重新导入；只有每一行都正确时才会保存盘点数量。</translation>
    </message>
    <message>
        <source>Rows for the same bin and part were added up:</source>
        <translation>同一库位、同一备件的多行已合计：</translation>
    </message>
    <message>
        <source>&amp;Copy problems</source>
        <translation>复制问题列表(&amp;C)</translation>
    </message>
</context>
<context>
    <name>CountingPanel</name>
    <message>
        <source>Scan the bin label</source>
        <translation>扫描库位标签</translation>
    </message>
    <message>
        <source>Scan the part</source>
        <translation>扫描备件</translation>
    </message>
    <message>
        <source>Count, then Enter</source>
        <translation>输入数量后按回车</translation>
    </message>
    <message>
        <source>&amp;Next bin (Esc)</source>
        <translation>下一个库位（Esc）(&amp;N)</translation>
    </message>
    <message>
        <source>Bin is &amp;empty</source>
        <translation>库位为空(&amp;E)</translation>
    </message>
    <message>
        <source>Records that the scanned bin holds nothing (counted 0).</source>
        <translation>记录所扫描的库位中没有任何物品（实盘数量为 0）。</translation>
    </message>
    <message>
        <source>&amp;Bin:</source>
        <translation>库位(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;Part:</source>
        <translation>备件(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Quantity:</source>
        <translation>数量(&amp;Q)：</translation>
    </message>
    <message>
        <source>Bins counted {bins} of {all_bins} · lines counted {lines} of {all_lines}</source>
        <translation>已盘库位 {bins}/{all_bins} · 已盘行数 {lines}/{all_lines}</translation>
    </message>
    <message>
        <source>Bin {code} is not part of this stocktake.</source>
        <translation>库位 {code} 不在本次盘点范围内。</translation>
    </message>
    <message>
        <source>Bin {code}: scan the parts in it.</source>
        <translation>库位 {code}：请扫描其中的备件。</translation>
    </message>
    <message>
        <source>Scan the bin label first.</source>
        <translation>请先扫描库位标签。</translation>
    </message>
    <message>
        <source>{bin}: empty, recorded.</source>
        <translation>{bin}：空库位，已记录。</translation>
    </message>
    <message>
        <source>{bin} {part}: {quantity} {unit} recorded.</source>
        <translation>{bin} {part}：已记录 {quantity} {unit}。</translation>
    </message>
    <message>
        <source>Found: the book has none of it in this bin.</source>
        <translation>账外备件：账面上此库位没有该备件。</translation>
    </message>
</context>
<context>
    <name>Coverage</name>
    <message>
        <source>三包: return, exchange or repair (7 days)</source>
        <translation>三包：退货、换货或修理（7 日内）</translation>
    </message>
    <message>
        <source>三包: exchange or repair (15 days)</source>
        <translation>三包：换货或修理（15 日内）</translation>
    </message>
    <message>
        <source>三包: exchange or refund after repeated repairs</source>
        <translation>三包：多次修理仍不能正常使用，换货或退货</translation>
    </message>
    <message>
        <source>三包: exchange, parts unavailable</source>
        <translation>三包：零部件缺货，予以换货</translation>
    </message>
    <message>
        <source>In warranty: free repair</source>
        <translation>保修期内：免费维修</translation>
    </message>
    <message>
        <source>Main part warranty: free repair</source>
        <translation>主要部件保修期内：免费维修</translation>
    </message>
    <message>
        <source>Under service contract</source>
        <translation>服务合同范围内</translation>
    </message>
    <message>
        <source>Excluded from 三包: chargeable</source>
        <translation>不属于三包范围：收费</translation>
    </message>
    <message>
        <source>Chargeable</source>
        <translation>收费服务</translation>
    </message>
</context>
<context>
    <name>Customer</name>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>单位客户</translation>
    </message>
    <message>
        <source>Individual</source>
        <translation>个人</translation>
    </message>
</context>
<context>
    <name>CustomerDialog</name>
    <message>
        <source>Company (unit)</source>
        <translation>单位客户</translation>
    </message>
    <message>
        <source>Individual</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Unified social credit code: {problem}.</source>
        <translation>统一社会信用代码：{problem}。</translation>
    </message>
    <message>
        <source>ID card number: {problem}.</source>
        <translation>身份证号码：{problem}。</translation>
    </message>
    <message>
        <source>e.g. 13812345678 or 020-87654321</source>
        <translation>例如 13812345678 或 020-87654321</translation>
    </message>
    <message>
        <source>province, city, district</source>
        <translation>省、市、区</translation>
    </message>
    <message>
        <source>street, building, room</source>
        <translation>街道、楼栋、房号</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>类型(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Contact person:</source>
        <translation>联系人(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>电话(&amp;P)：</translation>
    </message>
    <message>
        <source>Phone &amp;2:</source>
        <translation>电话 2(&amp;2)：</translation>
    </message>
    <message>
        <source>&amp;Region:</source>
        <translation>地区(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;ID card No.:</source>
        <translation>身份证号(&amp;I)：</translation>
    </message>
    <message>
        <source>I&amp;mportance:</source>
        <translation>客户等级(&amp;M)：</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <source>Create customer</source>
        <translation>创建客户</translation>
    </message>
    <message>
        <source>Edit customer {name}</source>
        <translation>编辑客户 {name}</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>&amp;Unit name:</source>
        <translation>单位名称(&amp;U)：</translation>
    </message>
    <message>
        <source>Credit &amp;code:</source>
        <translation>信用代码(&amp;C)：</translation>
    </message>
    <message>
        <source>18 characters, unified social credit code</source>
        <translation>18 位统一社会信用代码</translation>
    </message>
    <message>
        <source>18 digits, the last may be X</source>
        <translation>18 位数字，最后一位可以是 X</translation>
    </message>
</context>
<context>
    <name>CustomerPicker</name>
    <message>
        <source>Phone, name or serial number — Enter takes the first match</source>
        <translation>电话、名称或序列号 — 回车选择第一个匹配项</translation>
    </message>
    <message>
        <source>&amp;New customer…</source>
        <translation>新建客户(&amp;N)…</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <source>Individual</source>
        <translation>个人</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>单位客户</translation>
    </message>
    <message>
        <source>e.g. 广东省广州市天河区</source>
        <translation>例如：广东省广州市天河区</translation>
    </message>
    <message>
        <source>Crea&amp;te customer</source>
        <translation>创建客户(&amp;T)</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>电话：</translation>
    </message>
    <message>
        <source>Region:</source>
        <translation>地区：</translation>
    </message>
    <message>
        <source>No customer matches “{text}”: check what was typed, or create a new customer.</source>
        <translation>没有与“{text}”匹配的客户：请检查输入内容，或新建客户。</translation>
    </message>
    <message>
        <source>No customer chosen yet.</source>
        <translation>尚未选择客户。</translation>
    </message>
    <message>
        <source>Customer: &lt;b&gt;{name}&lt;/b&gt; {details}</source>
        <translation>客户：&lt;b&gt;{name}&lt;/b&gt; {details}</translation>
    </message>
</context>
<context>
    <name>CustomerView</name>
    <message>
        <source>&amp;Details</source>
        <translation>详细信息(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Products</source>
        <translation>产品(&amp;P)</translation>
    </message>
    <message>
        <source>Co&amp;mplaints</source>
        <translation>投诉(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Edit customer…</source>
        <translation>编辑客户(&amp;E)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Customer {name}</source>
        <translation>客户 {name}</translation>
    </message>
    <message>
        <source>No. {id} · {kind} · {importance} · registered {date}</source>
        <translation>编号 {id} · {kind} · {importance} · 建档于 {date}</translation>
    </message>
    <message>
        <source>Archived: merged into customer No. {id}, whose file holds its units now.</source>
        <translation>已归档：已合并到编号为 {id} 的客户，其产品现归入该客户档案。</translation>
    </message>
    <message>
        <source>Archived: kept on file, but no longer listed and no longer changed.</source>
        <translation>已归档：档案保留，但不再列出，也不能再修改。</translation>
    </message>
    <message>
        <source>Co&amp;mplaints ({n})</source>
        <translation>投诉(&amp;M)（{n}）</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Contact person:</source>
        <translation>联系人：</translation>
    </message>
    <message>
        <source>Phone:</source>
        <translation>电话：</translation>
    </message>
    <message>
        <source>Phone 2:</source>
        <translation>电话 2：</translation>
    </message>
    <message>
        <source>Region:</source>
        <translation>地区：</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <source>ID card No.:</source>
        <translation>身份证号：</translation>
    </message>
    <message>
        <source>Importance:</source>
        <translation>客户等级：</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Personal data is masked: your role may not see names, phones and addresses in full.</source>
        <translation>个人信息已脱敏：您的角色无权查看完整的姓名、电话和地址。</translation>
    </message>
    <message>
        <source>Unit name:</source>
        <translation>单位名称：</translation>
    </message>
    <message>
        <source>Credit code:</source>
        <translation>信用代码：</translation>
    </message>
    <message>
        <source>(masked)</source>
        <translation>（已脱敏）</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Serial No.</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>品类</translation>
    </message>
    <message>
        <source>Grade</source>
        <translation>商品等级</translation>
    </message>
    <message>
        <source>Purchased</source>
        <translation>购买日期</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>安装日期</translation>
    </message>
    <message>
        <source>Warranty</source>
        <translation>保修截止</translation>
    </message>
    <message>
        <source>Contract No.</source>
        <translation>合同编号</translation>
    </message>
    <message>
        <source>Site address</source>
        <translation>安装地址</translation>
    </message>
    <message>
        <source>&amp;Add product…</source>
        <translation>添加产品(&amp;A)…</translation>
    </message>
    <message>
        <source>Edit p&amp;roduct…</source>
        <translation>编辑产品(&amp;R)…</translation>
    </message>
    <message>
        <source>Complaints about this &amp;unit</source>
        <translation>此产品的投诉(&amp;U)</translation>
    </message>
    <message>
        <source>in warranty</source>
        <translation>保修期内</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过保</translation>
    </message>
    <message>
        <source>&amp;Products ({n})</source>
        <translation>产品(&amp;P)（{n}）</translation>
    </message>
    <message>
        <source>Your role may not read complaints.</source>
        <translation>您的角色无权查看投诉。</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>产品(&amp;U)：</translation>
    </message>
    <message>
        <source>Enter or double-click opens the complaint</source>
        <translation>回车或双击打开投诉</translation>
    </message>
    <message>
        <source>All units</source>
        <translation>全部产品</translation>
    </message>
</context>
<context>
    <name>CustomersPage</name>
    <message>
        <source>Name, phone, unit name, serial or contract number</source>
        <translation>名称、电话、单位名称、序列号或合同编号</translation>
    </message>
    <message>
        <source>Ctrl+F; Esc clears. One or two characters find names that begin with them, three or more any part.</source>
        <translation>Ctrl+F；按 Esc 清除。输入一到两个字符查找以其开头的名称，三个及以上字符查找任意部分。</translation>
    </message>
    <message>
        <source>Show arc&amp;hived</source>
        <translation>显示已归档(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;New customer…</source>
        <translation>新建客户(&amp;N)…</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Enter or double-click</source>
        <translation>回车或双击</translation>
    </message>
    <message>
        <source>&amp;Merge duplicate…</source>
        <translation>合并重复客户(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Archive…</source>
        <translation>归档(&amp;A)…</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <source>Ctrl+E: the list as filtered, to Excel</source>
        <translation>Ctrl+E：将筛选后的列表导出到 Excel</translation>
    </message>
    <message>
        <source>&amp;Find:</source>
        <translation>查找(&amp;F)：</translation>
    </message>
    <message>
        <source>No name begins with {text}. Type a third character to search any part of names, phones and numbers.</source>
        <translation>没有以“{text}”开头的名称。再输入一个字符，即可在名称、电话和各类编号的任意部分中查找。</translation>
    </message>
    <message>
        <source>No. {old} merged into {name} (No. {id}).</source>
        <translation>编号 {old} 已合并到 {name}（编号 {id}）。</translation>
    </message>
    <message>
        <source>Archive customer</source>
        <translation>归档客户</translation>
    </message>
    <message>
        <source>Archive {name} (No. {id})? The customer leaves the list but stays on file with their units and complaints; tick Show archived to find them.</source>
        <translation>归档 {name}（编号 {id}）吗？该客户将不再出现在列表中，但其档案连同产品和投诉都会保留；勾选“显示已归档”即可找到。</translation>
    </message>
    <message>
        <source>Changed meanwhile</source>
        <translation>记录已被他人修改</translation>
    </message>
    <message>
        <source>{name} (No. {id}) archived.</source>
        <translation>{name}（编号 {id}）已归档。</translation>
    </message>
    <message>
        <source>Customer list</source>
        <translation>客户清单</translation>
    </message>
    <message>
        <source>Export customers</source>
        <translation>导出客户</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>已取消导出。</translation>
    </message>
    <message>
        <source>Exporting customers</source>
        <translation>正在导出客户</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>{n} customers exported to {path}.</source>
        <translation>已将 {n} 个客户导出到 {path}。</translation>
    </message>
    <message>
        <source>Customer {name} created (No. {id}).</source>
        <translation>已创建客户 {name}（编号 {id}）。</translation>
    </message>
    <message>
        <source>Unit {serial} · {model}: open its file (Enter)</source>
        <translation>产品 {serial} · {model}：打开其档案（回车）</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <source>The database already has data: demo data goes only into an empty database.</source>
        <translation>数据库中已有数据：演示数据只能载入空数据库。</translation>
    </message>
    <message>
        <source>Customers and products</source>
        <translation>客户和产品</translation>
    </message>
    <message>
        <source>Loading demo data was cancelled; nothing was saved.</source>
        <translation>已取消载入演示数据，未保存任何内容。</translation>
    </message>
    <message>
        <source>Warehouse</source>
        <translation>备件库</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>客户投诉</translation>
    </message>
    <message>
        <source>Service orders</source>
        <translation>售后服务单</translation>
    </message>
    <message>
        <source>Service order history</source>
        <translation>售后服务单历史记录</translation>
    </message>
</context>
<context>
    <name>Dispatch</name>
    <message>
        <source>skilled in this kind of work</source>
        <translation>擅长此类工作</translation>
    </message>
    <message>
        <source>not listed for this kind of work</source>
        <translation>未登记此类工作技能</translation>
    </message>
    <message>
        <source>covers {area}</source>
        <translation>负责{area}</translation>
    </message>
    <message>
        <source>other area</source>
        <translation>其他区域</translation>
    </message>
    <message>
        <source>{n} orders booked that day</source>
        <translation>当天已预约 {n} 单</translation>
    </message>
</context>
<context>
    <name>DispatchDialog</name>
    <message>
        <source>Reschedule</source>
        <translation>改约</translation>
    </message>
    <message>
        <source>Dispatch</source>
        <translation>派工</translation>
    </message>
    <message>
        <source>wanted by {time}</source>
        <translation>要求 {time} 前完成</translation>
    </message>
    <message>
        <source>Order:</source>
        <translation>服务单：</translation>
    </message>
    <message>
        <source>Request:</source>
        <translation>服务需求：</translation>
    </message>
    <message>
        <source>Engineer:</source>
        <translation>工程师：</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约时间</translation>
    </message>
    <message>
        <source>Agreed</source>
        <translation>约定于</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Appointments so far:</source>
        <translation>历次预约：</translation>
    </message>
    <message>
        <source>Engineer</source>
        <translation>工程师</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Booked that day</source>
        <translation>当天已约</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Engineers, best first:</source>
        <translation>工程师（按推荐顺序）：</translation>
    </message>
    <message>
        <source>Appointment agreed with the customer:</source>
        <translation>与客户约定的上门时间：</translation>
    </message>
    <message>
        <source>Committed finish by:</source>
        <translation>承诺完工时间：</translation>
    </message>
    <message>
        <source>Why the time changes, e.g. the customer is away until Friday</source>
        <translation>改约的原因，例如：客户周五前不在</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Optional: what the engineer should know</source>
        <translation>可选：工程师需要了解的情况</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Choose the engineer.</source>
        <translation>请选择工程师。</translation>
    </message>
    <message>
        <source>No active service engineer to dispatch to.</source>
        <translation>没有可以派工的在岗技术支持工程师。</translation>
    </message>
    <message>
        <source>The committed finish must come after the appointment.</source>
        <translation>承诺完工时间必须晚于预约时间。</translation>
    </message>
    <message>
        <source>Choose a time other than the one agreed now.</source>
        <translation>请选择与当前约定不同的时间。</translation>
    </message>
    <message>
        <source>Give the reason for the new time.</source>
        <translation>请填写改约的原因。</translation>
    </message>
    <message>
        <source>{time} (now)</source>
        <translation>{time}（当前）</translation>
    </message>
</context>
<context>
    <name>DrillDialog</name>
    <message>
        <source>Records behind: {caption}</source>
        <translation>明细记录：{caption}</translation>
    </message>
    <message>
        <source>{caption} — {count} record(s)</source>
        <translation>{caption} — {count} 条记录</translation>
    </message>
    <message>
        <source>Enter or double-click opens the record.</source>
        <translation>回车或双击可打开该记录。</translation>
    </message>
    <message>
        <source>This record has no page of its own to open.</source>
        <translation>此记录没有可以打开的单独页面。</translation>
    </message>
    <message>
        <source>Total: {sums}</source>
        <translation>合计：{sums}</translation>
    </message>
    <message>
        <source>The first {shown} of {total} records are listed.</source>
        <translation>共 {total} 条记录，仅列出前 {shown} 条。</translation>
    </message>
    <message>
        <source>Total of the listed rows: {sums}</source>
        <translation>所列各行合计：{sums}</translation>
    </message>
</context>
<context>
    <name>EngineerDialog</name>
    <message>
        <source>Engineer — {name}</source>
        <translation>工程师 — {name}</translation>
    </message>
    <message>
        <source>Skilled in</source>
        <translation>擅长的工作</translation>
    </message>
    <message>
        <source>e.g. 广东省广州市; several: 广东省佛山市、广东省东莞市</source>
        <translation>例如 广东省广州市；多个区域：广东省佛山市、广东省东莞市</translation>
    </message>
    <message>
        <source>The start of the customer&apos;s address as the customer file writes it, province first: 广东省 covers the whole province, 广东省广州市 the city, 广东省广州市天河区 one district. Dispatch prefers an engineer whose area the customer&apos;s address starts with. Empty: no area.</source>
        <translation>客户地址的开头部分，按客户档案中的写法从省份写起：“广东省”覆盖全省，“广东省广州市”覆盖该市，“广东省广州市天河区”只覆盖一个区。派工时优先推荐客户地址以其负责区域开头的工程师。留空表示不设负责区域。</translation>
    </message>
    <message>
        <source>&amp;Area:</source>
        <translation>负责区域(&amp;A)：</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>回车</translation>
    </message>
    <message>
        <source>No area: dispatch ranks this engineer by skill and load only.</source>
        <translation>未设负责区域：派工时仅按技能和工作量为此工程师排序。</translation>
    </message>
    <message>
        <source>No customer&apos;s address starts with {area}. Addresses start with the province, e.g. 广东省广州市.</source>
        <translation>没有客户的地址以“{area}”开头。地址从省份写起，例如：广东省广州市。</translation>
    </message>
    <message>
        <source>Customers whose address starts with {area}: {n}</source>
        <translation>地址以“{area}”开头的客户：{n} 个</translation>
    </message>
</context>
<context>
    <name>EngineersModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Area</source>
        <translation>负责区域</translation>
    </message>
    <message>
        <source>{name} (disabled)</source>
        <translation>{name}（已停用）</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Customers whose address starts with this are in this engineer&apos;s area.</source>
        <translation>地址以此开头的客户属于该工程师的负责区域。</translation>
    </message>
</context>
<context>
    <name>EngineersPage</name>
    <message>
        <source>Dispatch ranks the engineers for an order by these: skilled in its kind of work +3, the customer&apos;s address in their area +2, and −1 for each order already booked that day. Engineers are added and disabled on the Users page.</source>
        <translation>派工时按以下规则为工程师排序：擅长该类工作 +3，客户地址在其负责区域内 +2，当天每已预约一单 −1。工程师在“用户管理”页面中添加和停用。</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>Enter, F2 or double-click</source>
        <translation>回车、F2 或双击</translation>
    </message>
    <message>
        <source>Show &amp;disabled engineers</source>
        <translation>显示已停用的工程师(&amp;D)</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>There are no service engineers yet: add users with the engineer role on the Users page.</source>
        <translation>还没有技术支持工程师：请在“用户管理”页面添加角色为技术支持工程师的用户。</translation>
    </message>
    <message>
        <source>{name}: saved.</source>
        <translation>{name}：已保存。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Changed by {user} at {time} after you opened it. Reload and try again.</source>
        <translation>您打开后，{user} 于 {time} 修改了此记录。请重新载入后再试。</translation>
    </message>
    <message>
        <source>Somebody else changed this record after you opened it. Reload it.</source>
        <translation>您打开后，其他人修改了此记录。请重新载入。</translation>
    </message>
    <message>
        <source>{role} {user} may not do this ({permission}).</source>
        <translation>{role} {user} 无权执行此操作（{permission}）。</translation>
    </message>
    <message>
        <source>File {path} does not exist.</source>
        <translation>文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>{name}: only photos, scans, PDF and documents can be attached ({types}).</source>
        <translation>{name}：只能添加照片、扫描件、PDF 和文档作为附件（{types}）。</translation>
    </message>
    <message>
        <source>{name} is {size} MB; attachments may be at most {limit} MB.</source>
        <translation>{name} 大小为 {size} MB；附件不能超过 {limit} MB。</translation>
    </message>
    <message>
        <source>No attachment with id {id}.</source>
        <translation>没有编号为 {id} 的附件。</translation>
    </message>
    <message>
        <source>Attachment {name} is damaged (checksum differs).</source>
        <translation>附件 {name} 已损坏（校验和不一致）。</translation>
    </message>
    <message>
        <source>Unknown time limit {key}.</source>
        <translation>未知的时限 {key}。</translation>
    </message>
    <message>
        <source>Time limit {key} must be between 0 and 2160 hours.</source>
        <translation>时限 {key} 必须在 0 到 2160 小时之间。</translation>
    </message>
    <message>
        <source>Amount {text}: enter a number such as 1280.50.</source>
        <translation>金额 {text}：请输入数字，例如 1280.50。</translation>
    </message>
    <message>
        <source>Amount {text}: more than 0, at most two decimals.</source>
        <translation>金额 {text}：必须大于 0，最多两位小数。</translation>
    </message>
    <message>
        <source>No complaint with id {id}.</source>
        <translation>没有编号为 {id} 的投诉。</translation>
    </message>
    <message>
        <source>No cost line with id {id}.</source>
        <translation>没有编号为 {id} 的费用明细。</translation>
    </message>
    <message>
        <source>This cost line was already decided.</source>
        <translation>此费用明细已经审批过。</translation>
    </message>
    <message>
        <source>Choose an existing customer.</source>
        <translation>请选择已有的客户。</translation>
    </message>
    <message>
        <source>The product is not one of this customer&apos;s.</source>
        <translation>该产品不属于此客户。</translation>
    </message>
    <message>
        <source>The complaint cannot be received in the future.</source>
        <translation>投诉的接收时间不能晚于当前时间。</translation>
    </message>
    <message>
        <source>No complaint numbered {number}.</source>
        <translation>没有编号为 {number} 的投诉。</translation>
    </message>
    <message>
        <source>Write what the customer was told.</source>
        <translation>请填写告知客户的内容。</translation>
    </message>
    <message>
        <source>Write the initial assessment.</source>
        <translation>请填写初步评估。</translation>
    </message>
    <message>
        <source>Give the reason for not accepting the complaint.</source>
        <translation>请填写不受理的原因。</translation>
    </message>
    <message>
        <source>Describe the cause that was found.</source>
        <translation>请描述查明的原因。</translation>
    </message>
    <message>
        <source>Name the department responsible.</source>
        <translation>请填写责任部门。</translation>
    </message>
    <message>
        <source>Describe the decision.</source>
        <translation>请描述处理方案。</translation>
    </message>
    <message>
        <source>Record the investigation&apos;s cause before deciding.</source>
        <translation>决定处理方案前，请先记录调查查明的原因。</translation>
    </message>
    <message>
        <source>Write how and when the customer was told the decision.</source>
        <translation>请填写以何种方式、在何时告知客户处理方案。</translation>
    </message>
    <message>
        <source>Say why and to whom the complaint is escalated.</source>
        <translation>请说明升级的原因以及升级给谁。</translation>
    </message>
    <message>
        <source>Tell the customer the routes of recourse and tick them before closing unresolved.</source>
        <translation>以未解决结案前，请告知客户可采取的解决途径并逐项勾选。</translation>
    </message>
    <message>
        <source>Record how the customer withdrew the complaint.</source>
        <translation>请记录客户撤诉的方式。</translation>
    </message>
    <message>
        <source>Complaint {number} does not exist or is this one.</source>
        <translation>投诉 {number} 不存在，或者就是本投诉。</translation>
    </message>
    <message>
        <source>Give the reason for reopening.</source>
        <translation>请填写重新打开的原因。</translation>
    </message>
    <message>
        <source>Hand the complaint to an active user who handles complaints.</source>
        <translation>请将投诉移交给负责处理投诉的在用用户。</translation>
    </message>
    <message>
        <source>Write a note or attach a file.</source>
        <translation>请填写备注或添加附件。</translation>
    </message>
    <message>
        <source>Complaint {number} is {status}: “{action}” is not possible now.</source>
        <translation>投诉 {number} 当前状态为“{status}”：现在不能执行“{action}”。</translation>
    </message>
    <message>
        <source>Write the complaint in the customer&apos;s words.</source>
        <translation>请用客户的原话记录投诉内容。</translation>
    </message>
    <message>
        <source>Severity is 1 (minor) to 4 (critical).</source>
        <translation>严重程度为 1（轻微）到 4（重大）。</translation>
    </message>
    <message>
        <source>A customer cannot be merged into itself.</source>
        <translation>客户不能与自身合并。</translation>
    </message>
    <message>
        <source>No product with id {id}.</source>
        <translation>没有编号为 {id} 的产品。</translation>
    </message>
    <message>
        <source>No product with serial number {serial}.</source>
        <translation>没有序列号为 {serial} 的产品。</translation>
    </message>
    <message>
        <source>Enter the customer&apos;s name.</source>
        <translation>请输入客户名称。</translation>
    </message>
    <message>
        <source>Phone number {value}: digits, spaces and &apos;-&apos; only, 7 to 20 long.</source>
        <translation>电话号码 {value}：只能包含数字、空格和“-”，长度 7 到 20 位。</translation>
    </message>
    <message>
        <source>Unified social credit code</source>
        <translation>统一社会信用代码</translation>
    </message>
    <message>
        <source>ID card number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Enter the serial number.</source>
        <translation>请输入序列号。</translation>
    </message>
    <message>
        <source>Enter the model.</source>
        <translation>请输入型号。</translation>
    </message>
    <message>
        <source>The warranty cannot end before the purchase.</source>
        <translation>保修截止日期不能早于购买日期。</translation>
    </message>
    <message>
        <source>The installation cannot be before the purchase.</source>
        <translation>安装日期不能早于购买日期。</translation>
    </message>
    <message>
        <source>Customer {name} is archived and cannot be changed.</source>
        <translation>客户 {name} 已归档，不能修改。</translation>
    </message>
    <message>
        <source>Serial number {serial} is already on file.</source>
        <translation>序列号 {serial} 已有档案。</translation>
    </message>
    <message>
        <source>No customer with number {id}.</source>
        <translation>没有编号为 {id} 的客户。</translation>
    </message>
    <message>
        <source>Enter the part code.</source>
        <translation>请输入备件编码。</translation>
    </message>
    <message>
        <source>Part code {code}: at most 40 characters, no spaces.</source>
        <translation>备件编码 {code}：最多 40 个字符，不能有空格。</translation>
    </message>
    <message>
        <source>Enter the part name.</source>
        <translation>请输入备件名称。</translation>
    </message>
    <message>
        <source>Unit {unit} is not one of {units}.</source>
        <translation>单位 {unit} 不在 {units} 之中。</translation>
    </message>
    <message>
        <source>{field}: a number of at least 0 with at most two decimals.</source>
        <translation>{field}：必须是不小于 0 的数字，最多两位小数。</translation>
    </message>
    <message>
        <source>Part code {code} exists already.</source>
        <translation>备件编码 {code} 已存在。</translation>
    </message>
    <message>
        <source>A part&apos;s code cannot change; create a new part instead.</source>
        <translation>备件编码不能修改，请新建一个备件。</translation>
    </message>
    <message>
        <source>Substitute {code} is not another existing part.</source>
        <translation>可代用备件 {code} 不是另一个已有的备件。</translation>
    </message>
    <message>
        <source>Zone: one or two letters, e.g. A.</source>
        <translation>区：一到两个字母，例如 A。</translation>
    </message>
    <message>
        <source>{field}: from 1 to {top}.</source>
        <translation>{field}：1 到 {top}。</translation>
    </message>
    <message>
        <source>{count} bins at once is too many (at most {limit}).</source>
        <translation>一次创建 {count} 个库位太多了（最多 {limit} 个）。</translation>
    </message>
    <message>
        <source>Bin code {code}: zone-shelf-layer-position, e.g. A-03-2-05.</source>
        <translation>库位编码 {code}：区-架-层-位，例如 A-03-2-05。</translation>
    </message>
    <message>
        <source>Bin {code} exists already.</source>
        <translation>库位 {code} 已存在。</translation>
    </message>
    <message>
        <source>No part with id {id}.</source>
        <translation>没有编号为 {id} 的备件。</translation>
    </message>
    <message>
        <source>{value} is not a quantity.</source>
        <translation>{value} 不是有效的数量。</translation>
    </message>
    <message>
        <source>Quantity {value}: more than 0, at most two decimals.</source>
        <translation>数量 {value}：必须大于 0，最多两位小数。</translation>
    </message>
    <message>
        <source>Bin {bin} is being counted in stocktake {number}; move its stock after posting.</source>
        <translation>库位 {bin} 正在盘点 {number} 中盘点；请在盘点过账后再移动其库存。</translation>
    </message>
    <message>
        <source>Not enough {code} {name} in bin {bin}: {on_hand} on hand, {asked} asked.</source>
        <translation>库位 {bin} 中的 {code} {name} 不足：现有 {on_hand}，需要 {asked}。</translation>
    </message>
    <message>
        <source>A receipt needs at least one line.</source>
        <translation>入库单至少需要一行。</translation>
    </message>
    <message>
        <source>Line {n}: bin {bin} holds part {other}; put {code} in another bin.</source>
        <translation>第 {n} 行：库位 {bin} 存放的是备件 {other}，请将 {code} 放到其他库位。</translation>
    </message>
    <message>
        <source>Say what the parts are for.</source>
        <translation>请说明备件的用途。</translation>
    </message>
    <message>
        <source>Name the person who receives the parts.</source>
        <translation>请填写领用人。</translation>
    </message>
    <message>
        <source>An issue needs at least one line.</source>
        <translation>出库单至少需要一行。</translation>
    </message>
    <message>
        <source>Not enough {code} {name}: {short} {unit} short.</source>
        <translation>{code} {name} 库存不足：缺 {short} {unit}。</translation>
    </message>
    <message>
        <source>Choose a different bin to move to.</source>
        <translation>请选择另一个目标库位。</translation>
    </message>
    <message>
        <source>Give the reason for scrapping.</source>
        <translation>请填写报废原因。</translation>
    </message>
    <message>
        <source>No issue slip numbered {number}.</source>
        <translation>没有编号为 {number} 的配件出库单。</translation>
    </message>
    <message>
        <source>More is returned than slip {number} issued.</source>
        <translation>退库数量超过了出库单 {number} 的出库数量。</translation>
    </message>
    <message>
        <source>Give the reason for the reversal.</source>
        <translation>请填写冲销原因。</translation>
    </message>
    <message>
        <source>No stock document numbered {number}.</source>
        <translation>没有编号为 {number} 的库存单据。</translation>
    </message>
    <message>
        <source>Document {number} is a reversal or was already reversed.</source>
        <translation>单据 {number} 是冲销单，或已被冲销。</translation>
    </message>
    <message>
        <source>Line {n}: no part with code {code}.</source>
        <translation>第 {n} 行：没有编码为 {code} 的备件。</translation>
    </message>
    <message>
        <source>Line {n}: no bin {code}.</source>
        <translation>第 {n} 行：没有库位 {code}。</translation>
    </message>
    <message>
        <source>No stock lot with id {id}.</source>
        <translation>没有编号为 {id} 的库存批次。</translation>
    </message>
    <message>
        <source>{number} is not an issue slip.</source>
        <translation>{number} 不是配件出库单。</translation>
    </message>
    <message>
        <source>No bins match; nothing to print.</source>
        <translation>没有符合条件的库位，无需打印。</translation>
    </message>
    <message>
        <source>The password needs at least {n} characters with letters and digits.</source>
        <translation>密码至少需要 {n} 个字符，并且同时包含字母和数字。</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>This account is disabled. Ask the system administrator.</source>
        <translation>此账户已停用。请联系系统管理员。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: the account is locked until {time}.</source>
        <translation>密码错误次数过多：账户已锁定至 {time}。</translation>
    </message>
    <message>
        <source>User name: 2 to 40 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</source>
        <translation>用户名：2 到 40 个字母、数字、“.”、“_”或“-”。</translation>
    </message>
    <message>
        <source>Enter the person&apos;s name.</source>
        <translation>请输入姓名。</translation>
    </message>
    <message>
        <source>User name {name} is taken.</source>
        <translation>用户名 {name} 已被使用。</translation>
    </message>
    <message>
        <source>You cannot disable yourself or take away your own administrator role.</source>
        <translation>不能停用自己的账户，也不能取消自己的系统管理员角色。</translation>
    </message>
    <message>
        <source>You cannot disable yourself.</source>
        <translation>不能停用自己的账户。</translation>
    </message>
    <message>
        <source>{value} is not a kind of service work.</source>
        <translation>{value} 不是有效的服务类别。</translation>
    </message>
    <message>
        <source>The area may have at most {n} characters.</source>
        <translation>负责区域最多 {n} 个字符。</translation>
    </message>
    <message>
        <source>No user with id {id}.</source>
        <translation>没有编号为 {id} 的用户。</translation>
    </message>
    <message>
        <source>Only service engineers have skills and an area.</source>
        <translation>只有技术支持工程师才有技能和负责区域。</translation>
    </message>
    <message>
        <source>No user named {name}.</source>
        <translation>没有名为 {name} 的用户。</translation>
    </message>
    <message>
        <source>No bins in zone {zones}.</source>
        <translation>区 {zones} 中没有库位。</translation>
    </message>
    <message>
        <source>Stocktake {number} is counting some of these bins already.</source>
        <translation>盘点 {number} 已经在盘点其中部分库位。</translation>
    </message>
    <message>
        <source>There is nothing to count in this scope.</source>
        <translation>此范围内没有需要盘点的内容。</translation>
    </message>
    <message>
        <source>An empty bin counts 0; scan the part that is there.</source>
        <translation>空库位的实盘数量为 0；库位中有备件时请扫描该备件。</translation>
    </message>
    <message>
        <source>{n} lines are not counted yet.</source>
        <translation>还有 {n} 行尚未盘点。</translation>
    </message>
    <message>
        <source>No such line in stocktake {number}.</source>
        <translation>盘点 {number} 中没有这一行。</translation>
    </message>
    <message>
        <source>A recount must be done by someone other than {user}, who counted first.</source>
        <translation>复盘必须由首次盘点人 {user} 以外的人员进行。</translation>
    </message>
    <message>
        <source>{n} lines beyond tolerance still need a recount, e.g. {bin} {part}.</source>
        <translation>还有 {n} 行差异超出允差，需要复盘，例如 {bin} {part}。</translation>
    </message>
    <message>
        <source>No stocktake with id {id}.</source>
        <translation>没有编号为 {id} 的盘点。</translation>
    </message>
    <message>
        <source>Stocktake {number} is {state}: it can only be posted once, after approval.</source>
        <translation>盘点 {number} 当前状态为“{state}”：只能在审批后过账，且只能过账一次。</translation>
    </message>
    <message>
        <source>Posting was cancelled; nothing was changed.</source>
        <translation>已取消过账，未做任何更改。</translation>
    </message>
    <message>
        <source>No stocktake numbered {number}.</source>
        <translation>没有编号为 {number} 的盘点。</translation>
    </message>
    <message>
        <source>Stock in the counted bins changed while posting; nothing was posted. Check the stocktake and post again.</source>
        <translation>过账期间所盘库位的库存发生了变化，未过账任何内容。请检查盘点后重新过账。</translation>
    </message>
    <message>
        <source>No bin {code}.</source>
        <translation>没有库位 {code}。</translation>
    </message>
    <message>
        <source>Bin {code} is not empty by the book: count each part in it, 0 for a part that is not there.</source>
        <translation>库位 {code} 账面上并非空库位：请逐一盘点其中的备件，实物没有的备件填 0。</translation>
    </message>
    <message>
        <source>No part with code {code}.</source>
        <translation>没有编码为 {code} 的备件。</translation>
    </message>
    <message>
        <source>Bin {code} is not part of stocktake {number}.</source>
        <translation>库位 {code} 不在盘点 {number} 的范围内。</translation>
    </message>
    <message>
        <source>Count {value} is not a number.</source>
        <translation>盘点数量 {value} 不是数字。</translation>
    </message>
    <message>
        <source>Count {value}: zero or more, at most two decimals.</source>
        <translation>盘点数量 {value}：不能小于 0，最多两位小数。</translation>
    </message>
    <message>
        <source>Stocktake {number} is {state}: that is not possible now.</source>
        <translation>盘点 {number} 当前状态为“{state}”：现在不能执行此操作。</translation>
    </message>
    <message>
        <source>Stocktake {number} is not counting; counts cannot be imported now.</source>
        <translation>盘点 {number} 不在盘点中，现在不能导入盘点数量。</translation>
    </message>
    <message>
        <source>Write what the customer asks for.</source>
        <translation>请填写客户的需求。</translation>
    </message>
    <message>
        <source>The work must be due after the appointment.</source>
        <translation>要求完成时间必须晚于预约时间。</translation>
    </message>
    <message>
        <source>Choose an active service engineer.</source>
        <translation>请选择在岗的技术支持工程师。</translation>
    </message>
    <message>
        <source>Give the reason for the new time.</source>
        <translation>请填写改约的原因。</translation>
    </message>
    <message>
        <source>The arrival time must lie between the request&apos;s registration ({registered}) and now.</source>
        <translation>到达时间必须介于服务请求登记时间（{registered}）与当前时间之间。</translation>
    </message>
    <message>
        <source>Fees cannot be negative.</source>
        <translation>费用不能为负数。</translation>
    </message>
    <message>
        <source>Agree the fees with the customer before charging them.</source>
        <translation>收费前请先与客户确认费用。</translation>
    </message>
    <message>
        <source>Only {n} of {code} were issued for this order.</source>
        <translation>此服务单只领用了 {n} 个 {code}。</translation>
    </message>
    <message>
        <source>Say what happened to the old part.</source>
        <translation>请说明旧件的处理情况。</translation>
    </message>
    <message>
        <source>Do the self-check before completing.</source>
        <translation>完工前请先完成自检。</translation>
    </message>
    <message>
        <source>Record the measures taken.</source>
        <translation>请记录采取的措施。</translation>
    </message>
    <message>
        <source>Unknown signer.</source>
        <translation>未知的签字人。</translation>
    </message>
    <message>
        <source>Enter the signer&apos;s name.</source>
        <translation>请输入签字人姓名。</translation>
    </message>
    <message>
        <source>The signature is empty.</source>
        <translation>签名为空。</translation>
    </message>
    <message>
        <source>Order {number} is signed by the {signer} already.</source>
        <translation>服务单 {number} 已由{signer}签字。</translation>
    </message>
    <message>
        <source>Order {number} is {status}: it can be signed once the work is done.</source>
        <translation>服务单 {number} 当前状态为“{status}”：完工后才能签字。</translation>
    </message>
    <message>
        <source>Give the reason for the correction.</source>
        <translation>请填写更正原因。</translation>
    </message>
    <message>
        <source>Only a signed order needs a revision; edit this one.</source>
        <translation>只有已签字的服务单才需要修订，此单可直接修改。</translation>
    </message>
    <message>
        <source>Revision {n} of this order exists already.</source>
        <translation>此服务单的第 {n} 版修订已存在。</translation>
    </message>
    <message>
        <source>Order {number} is dispatched to another engineer.</source>
        <translation>服务单 {number} 已派给其他工程师。</translation>
    </message>
    <message>
        <source>Order {number} is signed and cannot change; make a revision.</source>
        <translation>服务单 {number} 已签字，不能修改；请创建修订版。</translation>
    </message>
    <message>
        <source>Order {number} is {status}: that is not possible now.</source>
        <translation>服务单 {number} 当前状态为“{status}”：现在不能执行此操作。</translation>
    </message>
    <message>
        <source>No service order with id {id}.</source>
        <translation>没有编号为 {id} 的售后服务单。</translation>
    </message>
    <message>
        <source>No service order numbered {number}.</source>
        <translation>没有编号为 {number} 的售后服务单。</translation>
    </message>
    <message>
        <source>Satisfaction is scored 1 to 5.</source>
        <translation>满意度评分为 1 到 5 分。</translation>
    </message>
    <message>
        <source>Write down what the customer is dissatisfied with.</source>
        <translation>请记录客户不满意的地方。</translation>
    </message>
    <message>
        <source>Write down what needs following up.</source>
        <translation>请记录需要跟进的事项。</translation>
    </message>
    <message>
        <source>No return visit with id {id}.</source>
        <translation>没有编号为 {id} 的回访。</translation>
    </message>
    <message>
        <source>This visit was recorded already.</source>
        <translation>此次回访已经记录过了。</translation>
    </message>
    <message>
        <source>Unknown KPI setting {key}.</source>
        <translation>未知的考核指标设置 {key}。</translation>
    </message>
    <message>
        <source>{key}: enter a number.</source>
        <translation>{key}：请输入数字。</translation>
    </message>
    <message>
        <source>The response time target is between 0 and 240 hours.</source>
        <translation>响应时间目标值必须在 0 到 240 小时之间。</translation>
    </message>
    <message>
        <source>The fix rate target is between 0 and 100 %.</source>
        <translation>修复率目标值必须在 0 到 100% 之间。</translation>
    </message>
    <message>
        <source>Unknown complaint rate base {value}.</source>
        <translation>未知的投诉率计算基数 {value}。</translation>
    </message>
    <message>
        <source>Satisfied means a score from 1 to 5.</source>
        <translation>“满意”的最低分数必须在 1 到 5 分之间。</translation>
    </message>
    <message>
        <source>A month closes 0 to 60 days after its end.</source>
        <translation>月份结账日须在月末后 0 至 60 天之间。</translation>
    </message>
    <message>
        <source>Top lists show 1 to 100 rows.</source>
        <translation>排行榜只能显示 1 到 100 行。</translation>
    </message>
    <message>
        <source>Save the report as .pdf or .xlsx, not “{suffix}”.</source>
        <translation>报表只能保存为 .pdf 或 .xlsx 文件，不能保存为“{suffix}”。</translation>
    </message>
    <message>
        <source>{period} is not closed: its figures are computed afresh every time.</source>
        <translation>{period} 尚未结账：其指标每次都实时计算。</translation>
    </message>
</context>
<context>
    <name>ExplainPanel</name>
    <message>
        <source>– No value</source>
        <translation>– 无数值</translation>
    </message>
    <message>
        <source>✓ Met</source>
        <translation>✓ 达标</translation>
    </message>
    <message>
        <source>✗ Not met</source>
        <translation>✗ 未达标</translation>
    </message>
    <message>
        <source>Numerator</source>
        <translation>分子</translation>
    </message>
    <message>
        <source>Denominator</source>
        <translation>分母</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>no records to compute it from in this period</source>
        <translation>本期间没有可用于计算的记录</translation>
    </message>
    <message>
        <source>Why “—”</source>
        <translation>为何显示“—”</translation>
    </message>
    <message>
        <source>{table}: total</source>
        <translation>{table}：合计</translation>
    </message>
    <message>
        <source>How computed</source>
        <translation>计算方法</translation>
    </message>
    <message>
        <source>&amp;Open the records</source>
        <translation>查看明细记录(&amp;O)</translation>
    </message>
    <message>
        <source>Double-click or Enter on a figure or row does the same</source>
        <translation>在指标或表格行上双击或按回车，效果相同。</translation>
    </message>
    <message>
        <source>Open those &amp;counted</source>
        <translation>只看计入的记录(&amp;C)</translation>
    </message>
    <message>
        <source>Only the records counted in the numerator</source>
        <translation>只显示计入分子的记录。</translation>
    </message>
    <message>
        <source>Choose a figure or a table row to see how it was computed. Double-click or Enter opens the records behind it.</source>
        <translation>选择一个指标或表格行，查看其计算方法。双击或按回车可打开其明细记录。</translation>
    </message>
    <message>
        <source>{caption}, counted</source>
        <translation>{caption}（计入部分）</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
</context>
<context>
    <name>FigureCards</name>
    <message>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>客户投诉</translation>
    </message>
    <message>
        <source>Repairs</source>
        <translation>维修</translation>
    </message>
    <message>
        <source>Parts and costs</source>
        <translation>备件与费用</translation>
    </message>
    <message>
        <source>Open work</source>
        <translation>在办事项</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>{n} of {d}</source>
        <translation>{n} / {d}</translation>
    </message>
    <message>
        <source>n = {n}</source>
        <translation>n = {n}</translation>
    </message>
    <message>
        <source>⚠ past the deadline</source>
        <translation>⚠ 已超期</translation>
    </message>
    <message>
        <source>Double-click or Enter: the records behind it</source>
        <translation>双击或回车：查看明细记录</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to BranchDesk</source>
        <translation>欢迎使用 BranchDesk</translation>
    </message>
    <message>
        <source>This database has no user accounts yet. Create the system administrator&apos;s account to start working, or fill the database with demo data to try BranchDesk out.</source>
        <translation>此数据库中还没有用户账户。请创建系统管理员账户后开始工作，或者载入演示数据来试用 BranchDesk。</translation>
    </message>
    <message>
        <source>Database: {url}</source>
        <translation>数据库：{url}</translation>
    </message>
    <message>
        <source>as shown on screen and in the audit log</source>
        <translation>显示在界面和审计日志中的姓名</translation>
    </message>
    <message>
        <source>&amp;Create administrator</source>
        <translation>创建管理员(&amp;C)</translation>
    </message>
    <message>
        <source>Create the administrator account</source>
        <translation>创建系统管理员账户</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Repeat password:</source>
        <translation>再次输入密码(&amp;R)：</translation>
    </message>
    <message>
        <source>Or try BranchDesk with demo data</source>
        <translation>或者用演示数据试用 BranchDesk</translation>
    </message>
    <message>
        <source>Loads demo users, customers, installed products and complaints in every state. Every demo user has the password {password}: log in as admin (system administrator), manager, asadmin, operator, engineer or warehouse. Demo data cannot be removed again: use a separate database for real work.</source>
        <translation>载入演示用户、客户、已安装产品以及处于各种状态的客户投诉。所有演示用户的密码都是 {password}：可以用 admin（系统管理员）、manager、asadmin、operator、engineer 或 warehouse 登录。演示数据载入后无法删除：正式工作请使用另一个数据库。</translation>
    </message>
    <message>
        <source>Load &amp;demo data</source>
        <translation>载入演示数据(&amp;D)</translation>
    </message>
    <message>
        <source>Somebody has created user accounts meanwhile: log in with yours.</source>
        <translation>其他人已经创建了用户账户：请用您的账户登录。</translation>
    </message>
    <message>
        <source>The administrator account {name} was created: log in with it.</source>
        <translation>已创建系统管理员账户 {name}：请用它登录。</translation>
    </message>
    <message>
        <source>Loading demo data</source>
        <translation>载入演示数据</translation>
    </message>
    <message>
        <source>Loading demo data…</source>
        <translation>正在载入演示数据…</translation>
    </message>
    <message>
        <source>Demo data loaded: {customers} customers, {complaints} complaints.</source>
        <translation>演示数据已载入：{customers} 个客户，{complaints} 条投诉。</translation>
    </message>
    <message>
        <source>Demo users, all with the password {password}: {users}</source>
        <translation>演示用户（密码均为 {password}）：{users}</translation>
    </message>
    <message>
        <source>Loading demo data was cancelled; nothing was saved.</source>
        <translation>已取消载入演示数据，未保存任何内容。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>&amp;Reload</source>
        <translation>重新载入(&amp;R)</translation>
    </message>
    <message>
        <source>The form shows the saved values now; make your change again.</source>
        <translation>表单现在显示已保存的值，请重新修改。</translation>
    </message>
</context>
<context>
    <name>FormPrinter</name>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Making the customer opinion handling form</source>
        <translation>正在生成客户意见处理表</translation>
    </message>
    <message>
        <source>Save the form as PDF</source>
        <translation>将表单另存为 PDF</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Print the customer opinion handling form</source>
        <translation>打印客户意见处理表</translation>
    </message>
</context>
<context>
    <name>Identity</name>
    <message>
        <source>must be 17 digits followed by a digit or X</source>
        <translation>必须是 17 位数字，后跟一位数字或 X</translation>
    </message>
    <message>
        <source>the birth date in it does not exist</source>
        <translation>其中的出生日期不存在</translation>
    </message>
    <message>
        <source>the check digit does not match</source>
        <translation>校验位不符</translation>
    </message>
    <message>
        <source>must be 18 characters of 0123456789ABCDEFGHJKLMNPQRTUWXY (no I, O, S, V, Z)</source>
        <translation>必须是 18 位，由 0123456789ABCDEFGHJKLMNPQRTUWXY 组成（不含 I、O、S、V、Z）</translation>
    </message>
    <message>
        <source>the check character does not match</source>
        <translation>校验码不符</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <source>BranchDesk is locked</source>
        <translation>BranchDesk 已锁定</translation>
    </message>
</context>
<context>
    <name>Import</name>
    <message>
        <source>substitute {code} is neither in the sheet nor on file</source>
        <translation>可代用备件 {code} 既不在表格中，也不在档案中</translation>
    </message>
    <message>
        <source>Checking rows</source>
        <translation>正在检查各行</translation>
    </message>
    <message>
        <source>{value} is not a number</source>
        <translation>{value} 不是数字</translation>
    </message>
    <message>
        <source>ABC class must be A, B or C</source>
        <translation>ABC 分类必须是 A、B 或 C</translation>
    </message>
    <message>
        <source>code {code} is also on row {other}</source>
        <translation>编码 {code} 也出现在第 {other} 行</translation>
    </message>
    <message>
        <source>{file}, sheet {sheet}, row {row}, column {column}: {message}</source>
        <translation>{file}，工作表 {sheet}，第 {row} 行，{column} 列：{message}</translation>
    </message>
    <message>
        <source>{file} is not an Excel workbook ({error}).</source>
        <translation>{file} 不是 Excel 工作簿（{error}）。</translation>
    </message>
    <message>
        <source>{file}: the first sheet is empty.</source>
        <translation>{file}：第一个工作表是空的。</translation>
    </message>
    <message>
        <source>{file}: no column {columns} in the first row.</source>
        <translation>{file}：第一行中没有 {columns} 列。</translation>
    </message>
    <message>
        <source>not a readable workbook ({error})</source>
        <translation>不是可读取的工作簿（{error}）</translation>
    </message>
    <message>
        <source>this is the sheet of {other}, not of stocktake {number}</source>
        <translation>这是 {other} 的盘点表，不是盘点 {number} 的</translation>
    </message>
    <message>
        <source>the header row must have 库位, 配件编码 and 实盘数量</source>
        <translation>表头必须包含“库位”“配件编码”和“实盘数量”</translation>
    </message>
    <message>
        <source>a count is zero or more, with at most two decimals</source>
        <translation>盘点数量不能小于 0，最多两位小数</translation>
    </message>
    <message>
        <source>bin {code} is not in this stocktake</source>
        <translation>库位 {code} 不在本次盘点范围内</translation>
    </message>
    <message>
        <source>no part with code {code}</source>
        <translation>没有编码为 {code} 的备件</translation>
    </message>
    <message>
        <source>{bin} {part}: rows {first} and {row} added up</source>
        <translation>{bin} {part}：第 {first} 行和第 {row} 行已合计</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <source>Import of {file}</source>
        <translation>导入 {file}</translation>
    </message>
    <message>
        <source>The import was cancelled; nothing was saved.</source>
        <translation>已取消导入，未保存任何内容。</translation>
    </message>
    <message>
        <source>{rows} rows imported: {created} new parts, {updated} parts updated.</source>
        <translation>已导入 {rows} 行：新增备件 {created} 个，更新备件 {updated} 个。</translation>
    </message>
    <message>
        <source>Nothing was imported: {count} problems in {rows} rows. Correct the sheet and import it again; the whole sheet is saved only when every row is right.</source>
        <translation>未导入任何内容：{rows} 行中有 {count} 处问题。请更正表格后重新导入；只有每一行都正确时才会保存整张表。</translation>
    </message>
    <message>
        <source>&amp;Copy problems</source>
        <translation>复制问题列表(&amp;C)</translation>
    </message>
</context>
<context>
    <name>Importance</name>
    <message>
        <source>Important customer</source>
        <translation>重要客户</translation>
    </message>
    <message>
        <source>Long-term customer</source>
        <translation>长期客户</translation>
    </message>
    <message>
        <source>Ordinary customer</source>
        <translation>普通客户</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <source>New service request</source>
        <translation>新建服务请求</translation>
    </message>
    <message>
        <source>Why the decision differs from the proposal</source>
        <translation>判定结果与系统建议不同的原因</translation>
    </message>
    <message>
        <source>Project name or contract number</source>
        <translation>项目名称或合同编号</translation>
    </message>
    <message>
        <source>Fault symptom, maintenance need or question, in the customer&apos;s words</source>
        <translation>故障现象、维护需求或咨询问题（客户原话）</translation>
    </message>
    <message>
        <source>Customer e&amp;xpects it by:</source>
        <translation>客户期望完成时间(&amp;X)：</translation>
    </message>
    <message>
        <source>Access, working hours, safety rules …</source>
        <translation>进场要求、工作时间、安全规定……</translation>
    </message>
    <message>
        <source>&amp;Read back…</source>
        <translation>复述确认(&amp;R)…</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>返回(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>回车</translation>
    </message>
    <message>
        <source>Read this to the customer. Enter saves it and gives the order its number; Esc goes back to change it.</source>
        <translation>请向客户复述以下内容。按回车保存并生成服务单号；按 Esc 返回修改。</translation>
    </message>
    <message>
        <source>Find the customer (phone, name or serial number) or create a new one.</source>
        <translation>查找客户（电话、名称或序列号），或新建客户。</translation>
    </message>
    <message>
        <source>Write what the customer asks for.</source>
        <translation>请填写客户的需求。</translation>
    </message>
    <message>
        <source>Enter a phone number to reach the contact: the customer has none on file.</source>
        <translation>请输入联系人的电话号码：客户档案中没有电话。</translation>
    </message>
    <message>
        <source>Say why the decision differs from the proposal.</source>
        <translation>请说明判定结果与系统建议不同的原因。</translation>
    </message>
    <message>
        <source>The time the customer expects it by has passed.</source>
        <translation>客户期望的完成时间已经过去。</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Project / contract</source>
        <translation>项目 / 合同</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>none on file</source>
        <translation>无档案</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>服务类别</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Expected by</source>
        <translation>期望完成时间</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>保修类别</translation>
    </message>
    <message>
        <source>Proposed</source>
        <translation>系统建议</translation>
    </message>
    <message>
        <source>Reason for the decision</source>
        <translation>决定理由</translation>
    </message>
    <message>
        <source>Service request</source>
        <translation>服务请求</translation>
    </message>
    <message>
        <source>What is asked</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Special requests</source>
        <translation>特殊要求</translation>
    </message>
    <message>
        <source>{label}:</source>
        <translation>{label}：</translation>
    </message>
    <message>
        <source>Differs from the proposal: both are recorded, with your reason.</source>
        <translation>与系统建议不同：两者及您填写的原因都会记录。</translation>
    </message>
    <message>
        <source>The proposal is the decision unless you choose otherwise.</source>
        <translation>如不另行选择，判定结果即为系统建议。</translation>
    </message>
    <message>
        <source>Ready: Ctrl+Enter shows the read-back for the customer.</source>
        <translation>已就绪：按 Ctrl+Enter 显示向客户复述的内容。</translation>
    </message>
    <message>
        <source>Discard this service request? What was entered is lost.</source>
        <translation>放弃这条服务请求吗？已填写的内容将丢失。</translation>
    </message>
    <message>
        <source>As on file</source>
        <translation>同档案</translation>
    </message>
    <message>
        <source>No unit: a question, or a unit not on file yet.</source>
        <translation>无产品：咨询问题，或产品尚未建档。</translation>
    </message>
    <message>
        <source>invoice</source>
        <translation>发票日期</translation>
    </message>
    <message>
        <source>installed</source>
        <translation>安装日期</translation>
    </message>
    <message>
        <source>warranty end</source>
        <translation>保修截止</translation>
    </message>
    <message>
        <source>contract {number}</source>
        <translation>合同 {number}</translation>
    </message>
    <message>
        <source>No dates on file for this unit.</source>
        <translation>此产品档案中没有日期。</translation>
    </message>
    <message>
        <source>Choose the customer and the unit: the coverage their service file gives is shown here.</source>
        <translation>请选择客户和产品：此处将显示根据其售后服务档案判定的保修类别。</translation>
    </message>
    <message>
        <source>&lt;br&gt;Period ends {day}.</source>
        <translation>&lt;br&gt;期限截至 {day}。</translation>
    </message>
    <message>
        <source>No unit (a question, or not on file)</source>
        <translation>无产品（咨询，或尚未建档）</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>产品(&amp;U)：</translation>
    </message>
    <message>
        <source>Coverage (三包)</source>
        <translation>保修类别（三包）</translation>
    </message>
    <message>
        <source>Proposal:</source>
        <translation>系统建议：</translation>
    </message>
    <message>
        <source>&amp;Decision:</source>
        <translation>判定结果(&amp;D)：</translation>
    </message>
    <message>
        <source>Rea&amp;son:</source>
        <translation>原因(&amp;S)：</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>服务需求</translation>
    </message>
    <message>
        <source>C&amp;ontact:</source>
        <translation>联系人(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>电话(&amp;P)：</translation>
    </message>
    <message>
        <source>Pro&amp;ject / contract:</source>
        <translation>项目 / 合同(&amp;J)：</translation>
    </message>
    <message>
        <source>&amp;What is asked:</source>
        <translation>需求内容(&amp;W)：</translation>
    </message>
    <message>
        <source>Ca&amp;tegory:</source>
        <translation>服务类别(&amp;T)：</translation>
    </message>
    <message>
        <source>Ur&amp;gency:</source>
        <translation>紧急程度(&amp;G)：</translation>
    </message>
    <message>
        <source>Spe&amp;cial requests:</source>
        <translation>特殊要求(&amp;C)：</translation>
    </message>
</context>
<context>
    <name>IssueDialog</name>
    <message>
        <source>Issue parts</source>
        <translation>备件出库</translation>
    </message>
    <message>
        <source>who takes the parts</source>
        <translation>领用人</translation>
    </message>
    <message>
        <source>part code, name or model</source>
        <translation>备件编码、名称或型号</translation>
    </message>
    <message>
        <source>&amp;Add line</source>
        <translation>添加行(&amp;A)</translation>
    </message>
    <message>
        <source>Part / bin</source>
        <translation>备件 / 库位</translation>
    </message>
    <message>
        <source>Name / received</source>
        <translation>名称 / 入库日期</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Availability</source>
        <translation>可用情况</translation>
    </message>
    <message>
        <source>Re&amp;move line</source>
        <translation>删除行(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Use this substitute</source>
        <translation>使用此代用件(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Issue</source>
        <translation>出库(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Purpose:</source>
        <translation>用途(&amp;P)：</translation>
    </message>
    <message>
        <source>Re&amp;ference:</source>
        <translation>关联单号(&amp;F)：</translation>
    </message>
    <message>
        <source>Recei&amp;ver:</source>
        <translation>领用人(&amp;V)：</translation>
    </message>
    <message>
        <source>Pa&amp;rt:</source>
        <translation>备件(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Quantity:</source>
        <translation>数量(&amp;Q)：</translation>
    </message>
    <message>
        <source>There is no part with code {code}.</source>
        <translation>没有编码为 {code} 的备件。</translation>
    </message>
    <message>
        <source>{value} is not a quantity.</source>
        <translation>{value} 不是有效的数量。</translation>
    </message>
    <message>
        <source>Add at least one line.</source>
        <translation>请至少添加一行。</translation>
    </message>
    <message>
        <source>service order number, e.g. FW-GZ01-202611-0001</source>
        <translation>售后服务单号，例如 FW-GZ01-202611-0001</translation>
    </message>
    <message>
        <source>complaint number</source>
        <translation>投诉编号</translation>
    </message>
    <message>
        <source>what the parts are for</source>
        <translation>备件的用途</translation>
    </message>
    <message>
        <source>{short} {unit} short</source>
        <translation>缺 {short} {unit}</translation>
    </message>
    <message>
        <source>, substitutes available</source>
        <translation>，有可代用件</translation>
    </message>
    <message>
        <source>on the shelves</source>
        <translation>货架上有货</translation>
    </message>
    <message>
        <source>received {date}</source>
        <translation>{date} 入库</translation>
    </message>
    <message>
        <source>{code} {name} ({on_hand} on hand)</source>
        <translation>{code} {name}（现有 {on_hand}）</translation>
    </message>
    <message>
        <source>Not enough {code} on the shelves ({short} {unit} short). A substitute with stock can take the whole line:</source>
        <translation>货架上的 {code} 不足（缺 {short} {unit}）。可以用有库存的代用件满足整行：</translation>
    </message>
    <message>
        <source>Not enough {code} on the shelves ({short} {unit} short), and no substitute has stock. Lower the quantity or order the part.</source>
        <translation>货架上的 {code} 不足（缺 {short} {unit}），且代用件也没有库存。请减少数量或订购该备件。</translation>
    </message>
</context>
<context>
    <name>Kpi</name>
    <message>
        <source>&gt; {n} days</source>
        <translation>&gt; {n} 天</translation>
    </message>
    <message>
        <source>{low}–{high} days</source>
        <translation>{low}–{high} 天</translation>
    </message>
    <message>
        <source>{value} h</source>
        <translation>{value} 小时</translation>
    </message>
    <message>
        <source>{value} min</source>
        <translation>{value} 分钟</translation>
    </message>
    <message>
        <source>Complaint No.</source>
        <translation>投诉编号</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>First reply</source>
        <translation>首次答复</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案时间</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用类别</translation>
    </message>
    <message>
        <source>Borne by</source>
        <translation>承担方</translation>
    </message>
    <message>
        <source>Allocation department</source>
        <translation>摊销部门</translation>
    </message>
    <message>
        <source>Customer satisfaction</source>
        <translation>客户满意率</translation>
    </message>
    <message>
        <source>Complaints received</source>
        <translation>受理投诉数</translation>
    </message>
    <message>
        <source>Repair timeliness rate</source>
        <translation>维修及时率</translation>
    </message>
    <message>
        <source>First-time fix rate</source>
        <translation>一次修复率</translation>
    </message>
    <message>
        <source>Resolution rate</source>
        <translation>投诉解决率</translation>
    </message>
    <message>
        <source>return visits scoring {n} or better ÷ return visits done in the period × 100%</source>
        <translation>评分 {n} 分及以上的回访数 ÷ 本期已完成回访数 × 100%</translation>
    </message>
    <message>
        <source>Average satisfaction score</source>
        <translation>平均满意度评分</translation>
    </message>
    <message>
        <source>sum of scores (1–5) ÷ return visits done in the period</source>
        <translation>评分（1–5）之和 ÷ 本期已完成回访数</translation>
    </message>
    <message>
        <source>Return visit response rate</source>
        <translation>回访响应率</translation>
    </message>
    <message>
        <source>visits made ÷ visits due in the period before {day} × 100%</source>
        <translation>已回访数 ÷ 本期 {day} 前应回访数 × 100%</translation>
    </message>
    <message>
        <source>customers with a service order or complaint in the 12 months to the period end</source>
        <translation>截至期末 12 个月内有服务单或投诉的客户数</translation>
    </message>
    <message>
        <source>customers with a service order created in the period</source>
        <translation>本期有新建服务单的客户数</translation>
    </message>
    <message>
        <source>Complaint rate</source>
        <translation>投诉率</translation>
    </message>
    <message>
        <source>complaints received ÷ {base} × 100%</source>
        <translation>受理投诉数 ÷ {base} × 100%</translation>
    </message>
    <message>
        <source>complaints received in the period (a duplicate counts under its original)</source>
        <translation>本期受理的投诉数（重复投诉计入原投诉）</translation>
    </message>
    <message>
        <source>Consultation response time (median)</source>
        <translation>咨询响应时间（中位数）</translation>
    </message>
    <message>
        <source>median of (first reply − receipt) over the complaints received in the period and answered</source>
        <translation>本期受理并已答复投诉的（首次答复时间 − 受理时间）中位数</translation>
    </message>
    <message>
        <source>Consultation response time (90th percentile)</source>
        <translation>咨询响应时间（90分位数）</translation>
    </message>
    <message>
        <source>90th percentile of (first reply − receipt) over the complaints received in the period and answered</source>
        <translation>本期受理并已答复投诉的（首次答复时间 − 受理时间）第 90 百分位数</translation>
    </message>
    <message>
        <source>complaints closed as resolved ÷ complaints closed as resolved or unresolved in the period × 100%</source>
        <translation>本期已解决结案数 ÷ 本期结案数（已解决与未解决）× 100%</translation>
    </message>
    <message>
        <source>repair orders reached by the appointment and finished by the committed time ÷ repair orders finished in the period × 100%</source>
        <translation>按预约时间上门且按承诺时间完工的维修单数 ÷ 本期完工维修单数 × 100%</translation>
    </message>
    <message>
        <source>repair orders finished without remaining issues ÷ repair orders finished in the period × 100%</source>
        <translation>无遗留问题完工的维修单数 ÷ 本期完工维修单数 × 100%</translation>
    </message>
    <message>
        <source>Average response time</source>
        <translation>平均响应时间</translation>
    </message>
    <message>
        <source>Σ (engineer arrived − order created) ÷ repair orders reached in the period</source>
        <translation>Σ（工程师到场时间 − 建单时间）÷ 本期已上门维修单数</translation>
    </message>
    <message>
        <source>Fix rate</source>
        <translation>修复率</translation>
    </message>
    <message>
        <source>orders finished ÷ orders due (committed completion in the period, up to {as_of}) × 100%</source>
        <translation>已完工服务单数 ÷ 应完工服务单数（承诺完工时间在本期内，截至 {as_of}）× 100%</translation>
    </message>
    <message>
        <source>Top parts by value</source>
        <translation>备件消耗金额排名</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>the {n} parts of highest value consumed in the period: quantity issued − returned − reversed, × the lot&apos;s unit cost</source>
        <translation>本期消耗金额最高的 {n} 种备件：（出库 − 退库 − 冲销）数量 × 批次单价</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>Complaint costs by bearer</source>
        <translation>投诉费用（按承担方）</translation>
    </message>
    <message>
        <source>approved cost lines by approval time in the period, summed per bearer</source>
        <translation>本期已批准的费用明细，按批准时间统计，按承担方汇总</translation>
    </message>
    <message>
        <source>Complaint costs by allocation department</source>
        <translation>投诉费用（按分摊部门）</translation>
    </message>
    <message>
        <source>(not allocated)</source>
        <translation>（未分摊）</translation>
    </message>
    <message>
        <source>approved cost lines by approval time in the period, summed per allocation department</source>
        <translation>本期已批准的费用明细，按批准时间统计，按分摊部门汇总</translation>
    </message>
    <message>
        <source>Parts consumed (quantity)</source>
        <translation>备件消耗数量</translation>
    </message>
    <message>
        <source>Σ quantity issued − returned − reversed in the period (all units added together)</source>
        <translation>Σ 本期（出库 − 退库 − 冲销）数量（各计量单位合计）</translation>
    </message>
    <message>
        <source>Parts consumed (value)</source>
        <translation>备件消耗金额</translation>
    </message>
    <message>
        <source>Σ quantity × the lot&apos;s unit cost, issued − returned − reversed in the period</source>
        <translation>Σ 数量 × 批次单价，本期出库 − 退库 − 冲销</translation>
    </message>
    <message>
        <source>Complaint costs</source>
        <translation>投诉处理费用</translation>
    </message>
    <message>
        <source>Σ approved complaint cost lines, by approval time in the period</source>
        <translation>Σ 本期已批准的投诉费用明细（按批准时间）</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>在办</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>超期</translation>
    </message>
    <message>
        <source>Open complaints by age</source>
        <translation>未结投诉账龄</translation>
    </message>
    <message>
        <source>complaints open at {when} by whole days since receipt</source>
        <translation>截至 {when} 在办的投诉，按受理后整天数分组</translation>
    </message>
    <message>
        <source>Open service orders by age</source>
        <translation>未完工服务单账龄</translation>
    </message>
    <message>
        <source>service orders open at {when} by whole days since creation</source>
        <translation>截至 {when} 在办的服务单，按建单后整天数分组</translation>
    </message>
    <message>
        <source>Open complaints</source>
        <translation>未结投诉</translation>
    </message>
    <message>
        <source>complaints open at {when}</source>
        <translation>截至 {when} 在办的投诉</translation>
    </message>
    <message>
        <source>Overdue complaints</source>
        <translation>超期未结投诉</translation>
    </message>
    <message>
        <source>open complaints past their deadline (first reply, assessment or resolution) at {when}</source>
        <translation>截至 {when} 超过时限（首次答复、评估或处理）的在办投诉</translation>
    </message>
    <message>
        <source>Open service orders</source>
        <translation>未完工服务单</translation>
    </message>
    <message>
        <source>service orders whose work was not done at {when}</source>
        <translation>截至 {when} 尚未完工的服务单</translation>
    </message>
    <message>
        <source>Overdue service orders</source>
        <translation>超期未完工服务单</translation>
    </message>
    <message>
        <source>open service orders past the committed completion, or past the appointment before the engineer arrived, at {when}</source>
        <translation>截至 {when} 超过承诺完工时间，或超过预约时间而工程师未到场的在办服务单</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Service orders by category</source>
        <translation>服务单（按服务类别）</translation>
    </message>
    <message>
        <source>service orders created in the period per category</source>
        <translation>本期新建服务单，按服务类别统计</translation>
    </message>
    <message>
        <source>Complaints by class</source>
        <translation>投诉分类</translation>
    </message>
    <message>
        <source>complaints received in the period per class (quality, non-quality, consultation)</source>
        <translation>本期受理投诉，按类别统计（质量、非质量、咨询）</translation>
    </message>
    <message>
        <source>(no model)</source>
        <translation>（无型号）</translation>
    </message>
    <message>
        <source>Most complained-about models</source>
        <translation>投诉较多的产品型号</translation>
    </message>
    <message>
        <source>the {n} product models with the most complaints received in the period; share of all complaints</source>
        <translation>本期受理投诉最多的 {n} 个产品型号；占全部投诉的比例</translation>
    </message>
    <message>
        <source>Approved at</source>
        <translation>批准时间</translation>
    </message>
    <message>
        <source>Order No.</source>
        <translation>服务单号</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>服务类别</translation>
    </message>
    <message>
        <source>Engineer</source>
        <translation>工程师</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约时间</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到达时间</translation>
    </message>
    <message>
        <source>Finish by</source>
        <translation>承诺完工时间</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完工时间</translation>
    </message>
    <message>
        <source>First-time fix</source>
        <translation>一次修复</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>应回访日期</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>回访时间</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>客户意见</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>单据</translation>
    </message>
    <message>
        <source>Movement</source>
        <translation>变动类型</translation>
    </message>
    <message>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>备件</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Quantity consumed</source>
        <translation>消耗数量</translation>
    </message>
    <message>
        <source>Unit cost</source>
        <translation>单位成本</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Reading the records behind the figures</source>
        <translation>正在读取指标的明细记录</translation>
    </message>
</context>
<context>
    <name>KpiDashboardPage</name>
    <message>
        <source>The month: type it, or step with the arrow keys</source>
        <translation>月份：可直接输入，或用方向键逐月切换。</translation>
    </message>
    <message>
        <source>T&amp;his month</source>
        <translation>本月(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Last month</source>
        <translation>上月(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Days</source>
        <translation>按日期(&amp;D)</translation>
    </message>
    <message>
        <source>A range of days instead of a month</source>
        <translation>按日期范围统计，而不是按月统计。</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation>导出 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>The monthly report of the figures on screen, with charts and tables</source>
        <translation>导出当前屏幕上指标的月度报表，含图表和表格。</translation>
    </message>
    <message>
        <source>Export E&amp;xcel…</source>
        <translation>导出 Excel(&amp;X)…</translation>
    </message>
    <message>
        <source>One sheet per figure with the records behind it</source>
        <translation>每个指标一个工作表，附明细记录。</translation>
    </message>
    <message>
        <source>Re&amp;compute…</source>
        <translation>重新计算(&amp;C)…</translation>
    </message>
    <message>
        <source>Compute this closed month&apos;s figures again from today&apos;s records and settings</source>
        <translation>按当前记录和设置重新计算本已结账月份的指标</translation>
    </message>
    <message>
        <source>KPI &amp;settings…</source>
        <translation>考核设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Targets, what counts as satisfied, when a month closes</source>
        <translation>目标值、满意标准、月份结账日</translation>
    </message>
    <message>
        <source>Trends over the last 12 months</source>
        <translation>近 12 个月趋势</translation>
    </message>
    <message>
        <source>Fault types</source>
        <translation>常见故障类型</translation>
    </message>
    <message>
        <source>Complaint costs</source>
        <translation>投诉处理费用</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Computing the KPIs</source>
        <translation>正在计算考核指标</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Writing the KPI report</source>
        <translation>正在生成考核指标报表</translation>
    </message>
    <message>
        <source>The figures could not be computed.</source>
        <translation>无法计算指标数据。</translation>
    </message>
    <message>
        <source>KPI report</source>
        <translation>考核指标报告</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Export the KPI report</source>
        <translation>导出考核指标报表</translation>
    </message>
    <message>
        <source>Recompute the month</source>
        <translation>重新计算本月指标</translation>
    </message>
    <message>
        <source>The figures of {caption} were locked on {frozen}. Compute them again from today&apos;s records and settings? Work recorded since then will count; the audit log keeps the figures as they were.</source>
        <translation>{caption} 的指标已于 {frozen} 锁定。是否按当前记录和设置重新计算？此后补录的工作将计入；审计日志保留原指标。</translation>
    </message>
    <message>
        <source>Recomputing the month</source>
        <translation>正在重新计算本月指标</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>已取消导出，未写入任何内容。</translation>
    </message>
    <message>
        <source>The KPI report was saved to {path}.</source>
        <translation>考核指标报表已保存到 {path}。</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>whole branch</source>
        <translation>全分公司</translation>
    </message>
    <message>
        <source>KPIs {period} · {branch} · {who}</source>
        <translation>考核指标 {period} · {branch} · {who}</translation>
    </message>
    <message>
        <source>as of {as_of}</source>
        <translation>截至 {as_of}</translation>
    </message>
    <message>
        <source>Open and overdue work is counted at this moment (the period&apos;s end, or now for a running period); computed {computed}</source>
        <translation>未完结及超期工作按此时刻统计（期间结束时，或对尚未结束的期间按当前时间）；计算时间 {computed}</translation>
    </message>
    <message>
        <source>Closed month: figures locked {frozen}</source>
        <translation>已结账月份：指标于 {frozen} 锁定</translation>
    </message>
    <message>
        <source>The month closed, and its figures were stored at its first reading after that, with the settings then in force: work recorded later does not change them. The records a figure opens are today&apos;s. A manager may recompute the month.</source>
        <translation>该月已结账，其指标在结账后首次查看时按当时的设置保存：此后补录的工作不改变这些指标。点开指标看到的记录为当前记录。经理可重新计算该月。</translation>
    </message>
    <message>
        <source>Nothing of this kind in the period.</source>
        <translation>本期间没有此类记录。</translation>
    </message>
    <message>
        <source>No approved complaint costs in the period.</source>
        <translation>本期间没有已批准的投诉处理费用。</translation>
    </message>
    <message>
        <source>All engineers (branch)</source>
        <translation>全部工程师（全分公司）</translation>
    </message>
    <message>
        <source>User {id}</source>
        <translation>用户 {id}</translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation>月份(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Engineer:</source>
        <translation>工程师(&amp;E)：</translation>
    </message>
</context>
<context>
    <name>KpiSettingsDialog</name>
    <message>
        <source>KPI settings</source>
        <translation>考核指标设置</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>customers with a service order created in the period</source>
        <translation>本期有新建服务单的客户</translation>
    </message>
    <message>
        <source>customers with an order or a complaint in the 12 months to the period end</source>
        <translation>截至期末 12 个月内有服务单或投诉的客户</translation>
    </message>
    <message>
        <source> rows</source>
        <translation> 行</translation>
    </message>
    <message>
        <source> days after its end</source>
        <translation> 天（月末后）</translation>
    </message>
    <message>
        <source>Average &amp;response time target (at most):</source>
        <translation>平均响应时间目标（不超过）(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Fix rate target (at least):</source>
        <translation>修复率目标（不低于）(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Satisfied means a score of at least:</source>
        <translation>满意的评分下限(&amp;S)：</translation>
    </message>
    <message>
        <source>Complaint rate &amp;denominator:</source>
        <translation>投诉率分母(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Top lists show:</source>
        <translation>排行榜显示(&amp;T)：</translation>
    </message>
    <message>
        <source>A month &amp;closes:</source>
        <translation>月份结账(&amp;C)：</translation>
    </message>
    <message>
        <source>New settings count in the months not closed yet. A closed month keeps the settings and figures it was assessed with until a manager recomputes it on the KPI page.</source>
        <translation>新设置只用于尚未结账的月份。已结账月份保留考核时的设置和指标，直至经理在考核指标页面重新计算。</translation>
    </message>
</context>
<context>
    <name>KpiWorkbook</name>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Formula</source>
        <translation>计算公式</translation>
    </message>
    <message>
        <source>Numerator</source>
        <translation>分子</translation>
    </message>
    <message>
        <source>Denominator</source>
        <translation>分母</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>score (1–5)</source>
        <translation>分（1–5）</translation>
    </message>
    <message>
        <source>count</source>
        <translation>个数</translation>
    </message>
    <message>
        <source>CNY</source>
        <translation>元</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <source>whole branch</source>
        <translation>全分公司</translation>
    </message>
    <message>
        <source>Monthly KPI report</source>
        <translation>售后服务月度考核指标报告</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>分公司</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>统计期间</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>统计范围</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>数据截至</translation>
    </message>
    <message>
        <source>Figures stored</source>
        <translation>指标锁定时间</translation>
    </message>
    <message>
        <source>no: computed when exported (the month is not closed)</source>
        <translation>未锁定：导出时实时计算（该月尚未结账）</translation>
    </message>
    <message>
        <source>Prepared by</source>
        <translation>制表人</translation>
    </message>
    <message>
        <source>Generated at</source>
        <translation>生成时间</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>是否达标</translation>
    </message>
    <message>
        <source>Records (sheet)</source>
        <translation>明细（工作表）</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>(none in the period)</source>
        <translation>（本期无）</translation>
    </message>
    <message>
        <source>met</source>
        <translation>达标</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>未达标</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>In numerator</source>
        <translation>计入分子</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>(no records)</source>
        <translation>（无记录）</translation>
    </message>
</context>
<context>
    <name>LabelsDialog</name>
    <message>
        <source>Print bin labels</source>
        <translation>打印库位标签</translation>
    </message>
    <message>
        <source>A whole &amp;zone:</source>
        <translation>整个区(&amp;Z)：</translation>
    </message>
    <message>
        <source>&amp;Bins from:</source>
        <translation>库位从(&amp;B)：</translation>
    </message>
    <message>
        <source>B&amp;rowse…</source>
        <translation>浏览(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Open the PDF when it is ready, to print it</source>
        <translation>生成后打开 PDF 以便打印(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation>打印(&amp;P)</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>PDF &amp;file:</source>
        <translation>PDF 文件(&amp;F)：</translation>
    </message>
    <message>
        <source>Type the first and last bin codes, e.g. A-01-1-01 to A-03-5-08.</source>
        <translation>请输入起始和结束库位编码，例如 A-01-1-01 至 A-03-5-08。</translation>
    </message>
    <message>
        <source>Printing bin labels</source>
        <translation>正在打印库位标签</translation>
    </message>
    <message>
        <source>Save the labels as</source>
        <translation>标签另存为</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>LazyListView</name>
    <message numerus="yes">
        <source>%Ln+ rows</source>
        <translation>
            <numerusform>%Ln+ 行</numerusform>
        </translation>
    </message>
    <message>
        <source>Counting rows…</source>
        <translation>正在统计行数…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln rows</source>
        <translation>
            <numerusform>%Ln 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Loading all rows: %Ln so far (Esc stops)</source>
        <translation>
            <numerusform>正在载入全部行：已载入 %Ln 行（按 Esc 停止）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>BranchDesk is locked</source>
        <translation>BranchDesk 已锁定</translation>
    </message>
    <message>
        <source>Locked for {name} ({user}). Enter your password to carry on where you left off.</source>
        <translation>{name}（{user}）的会话已锁定。请输入密码，从离开时的地方继续工作。</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Log out</source>
        <translation>注销(&amp;L)</translation>
    </message>
    <message>
        <source>Another user can log in; what was not saved is lost.</source>
        <translation>其他用户可以登录；未保存的内容将会丢失。</translation>
    </message>
    <message>
        <source>Wrong password. After five wrong passwords the account is locked for a while.</source>
        <translation>密码错误。连续输错五次后，账户将被锁定一段时间。</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in — BranchDesk</source>
        <translation>登录 — BranchDesk</translation>
    </message>
    <message>
        <source>BranchDesk after-sales service desk</source>
        <translation>BranchDesk 售后服务台</translation>
    </message>
    <message>
        <source>Database: {url}</source>
        <translation>数据库：{url}</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>请输入用户名。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>BranchDesk after-sales service desk</source>
        <translation>BranchDesk 售后服务台</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>锁定(&amp;L)</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>注销(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About BranchDesk</source>
        <translation>关于 BranchDesk(&amp;A)</translation>
    </message>
    <message>
        <source>Logged in as {user}</source>
        <translation>登录用户：{user}</translation>
    </message>
    <message>
        <source>Database: {url}</source>
        <translation>数据库：{url}</translation>
    </message>
    <message>
        <source>About BranchDesk</source>
        <translation>关于 BranchDesk</translation>
    </message>
    <message>
        <source>&lt;h3&gt;BranchDesk after-sales service desk&lt;/h3&gt;&lt;p&gt;Version {version}&lt;/p&gt;&lt;p&gt;Database: {database}&lt;/p&gt;&lt;p&gt;Python {python}, Qt for Python {pyside}&lt;/p&gt;</source>
        <translation>&lt;h3&gt;BranchDesk 售后服务台&lt;/h3&gt;&lt;p&gt;版本 {version}&lt;/p&gt;&lt;p&gt;数据库：{database}&lt;/p&gt;&lt;p&gt;Python {python}，Qt for Python {pyside}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>A backup or restore is running. Wait until it has finished.</source>
        <translation>正在进行备份或恢复，请等待完成。</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Merge a duplicate into {name}</source>
        <translation>将重复客户合并到 {name}</translation>
    </message>
    <message>
        <source>&amp;Merge</source>
        <translation>合并(&amp;M)</translation>
    </message>
    <message>
        <source>Keep &lt;b&gt;{name}&lt;/b&gt; (No. {id}). Find the record that is the same customer: its units move here and it is archived.</source>
        <translation>保留 &lt;b&gt;{name}&lt;/b&gt;（编号 {id}）。请找到同一客户的另一条记录：其产品将移到这里，该记录随后归档。</translation>
    </message>
    <message>
        <source>name, phone, serial or contract number</source>
        <translation>名称、电话、序列号或合同编号</translation>
    </message>
    <message>
        <source>&amp;Find the duplicate:</source>
        <translation>查找重复记录(&amp;F)：</translation>
    </message>
    <message>
        <source>Choose the duplicate in the list.</source>
        <translation>请在列表中选择重复的记录。</translation>
    </message>
    <message>
        <source>That is the customer you keep: choose the other record.</source>
        <translation>这是要保留的客户：请选择另一条记录。</translation>
    </message>
    <message>
        <source>No. {id} {name} is archived already.</source>
        <translation>编号 {id} {name} 已经归档。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>contact person</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>phone 2</source>
        <translation>电话 2</translation>
    </message>
    <message>
        <source>region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>No. {id} {name}, phone {phone}, {region}</source>
        <translation>编号 {id} {name}，电话 {phone}，{region}</translation>
    </message>
    <message>
        <source>Units that move to {keep}: {units}</source>
        <translation>将移到 {keep} 的产品：{units}</translation>
    </message>
    <message>
        <source>Filled in where {keep} has nothing: {fields}</source>
        <translation>{keep} 中空缺而将被补充的项目：{fields}</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>No. {id} will be archived and point to No. {keep_id}; its complaints will show there.</source>
        <translation>编号 {id} 的记录将归档并指向编号 {keep_id}；其投诉将显示在该客户下。</translation>
    </message>
</context>
<context>
    <name>Migrations</name>
    <message>
        <source>The database is at schema version {current}, which this BranchDesk does not know: it was made by a newer version. Install that version or restore an older backup.</source>
        <translation>数据库结构版本为 {current}，本版本的 BranchDesk 无法识别：它是由更新版本创建的。请安装该版本，或恢复较早的备份。</translation>
    </message>
</context>
<context>
    <name>Movement</name>
    <message>
        <source>Receipt</source>
        <translation>入库</translation>
    </message>
    <message>
        <source>Issue</source>
        <translation>出库</translation>
    </message>
    <message>
        <source>Transfer out</source>
        <translation>移出</translation>
    </message>
    <message>
        <source>Transfer in</source>
        <translation>移入</translation>
    </message>
    <message>
        <source>Return to stock</source>
        <translation>退库</translation>
    </message>
    <message>
        <source>Scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <source>Stocktake adjustment</source>
        <translation>盘点调整</translation>
    </message>
    <message>
        <source>Reversal</source>
        <translation>冲销</translation>
    </message>
</context>
<context>
    <name>MovementsPage</name>
    <message>
        <source>&amp;Receive…</source>
        <translation>入库(&amp;R)…</translation>
    </message>
    <message>
        <source>I&amp;ssue…</source>
        <translation>出库(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Transfer…</source>
        <translation>移库(&amp;T)…</translation>
    </message>
    <message>
        <source>Scra&amp;p…</source>
        <translation>报废(&amp;P)…</translation>
    </message>
    <message>
        <source>Re&amp;verse…</source>
        <translation>冲销(&amp;V)…</translation>
    </message>
    <message>
        <source>Ret&amp;urn to stock…</source>
        <translation>退库(&amp;U)…</translation>
    </message>
    <message>
        <source>Print issue sl&amp;ip…</source>
        <translation>打印配件出库单(&amp;I)…</translation>
    </message>
    <message>
        <source>Only the warehouse keeper moves stock.</source>
        <translation>只有库管员可以进行出入库操作。</translation>
    </message>
    <message>
        <source>&amp;Movements</source>
        <translation>库存变动(&amp;M)</translation>
    </message>
    <message>
        <source>Stock &amp;by bin</source>
        <translation>按库位查看库存(&amp;B)</translation>
    </message>
    <message>
        <source>Reorder &amp;list</source>
        <translation>补货清单(&amp;L)</translation>
    </message>
    <message>
        <source>{number} saved.</source>
        <translation>{number} 已保存。</translation>
    </message>
</context>
<context>
    <name>MovementsTab</name>
    <message>
        <source>part code</source>
        <translation>备件编码</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>document, order or complaint number</source>
        <translation>单据号、服务单号或投诉编号</translation>
    </message>
    <message>
        <source>Reset filt&amp;ers</source>
        <translation>重置筛选(&amp;E)</translation>
    </message>
    <message>
        <source>P&amp;art:</source>
        <translation>备件(&amp;A)：</translation>
    </message>
    <message>
        <source>Bi&amp;n:</source>
        <translation>库位(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>从(&amp;F)：</translation>
    </message>
    <message>
        <source>T&amp;o:</source>
        <translation>到(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Document:</source>
        <translation>单据(&amp;D)：</translation>
    </message>
    <message>
        <source>any</source>
        <translation>全部</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <source>{open} open, {overdue} overdue</source>
        <translation>未结 {open} 件，超期 {overdue} 件</translation>
    </message>
    <message>
        <source>{open} open</source>
        <translation>未结 {open}</translation>
    </message>
    <message>
        <source>{overdue} overdue, {today} due today</source>
        <translation>超期 {overdue}，今日到期 {today}</translation>
    </message>
    <message>
        <source>{today} due today</source>
        <translation>今日到期 {today}</translation>
    </message>
    <message>
        <source>Service desk</source>
        <translation>客户服务</translation>
    </message>
    <message>
        <source>Warehouse</source>
        <translation>备件库</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>统计报表</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>客户投诉</translation>
    </message>
    <message>
        <source>Service orders</source>
        <translation>售后服务单</translation>
    </message>
    <message>
        <source>Return visits</source>
        <translation>客户回访</translation>
    </message>
    <message>
        <source>Engineers</source>
        <translation>工程师</translation>
    </message>
    <message>
        <source>KPIs</source>
        <translation>考核指标</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>备件</translation>
    </message>
    <message>
        <source>Shelf map</source>
        <translation>货架图</translation>
    </message>
    <message>
        <source>Stock movements</source>
        <translation>库存台账</translation>
    </message>
    <message>
        <source>Stocktake</source>
        <translation>库存盘点</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户管理</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Backup and restore</source>
        <translation>备份与恢复</translation>
    </message>
</context>
<context>
    <name>NewStocktakeDialog</name>
    <message>
        <source>New stocktake</source>
        <translation>新建盘点</translation>
    </message>
    <message>
        <source>&amp;Whole warehouse</source>
        <translation>整个备件库(&amp;W)</translation>
    </message>
    <message>
        <source>Chosen &amp;zones:</source>
        <translation>指定的区(&amp;Z)：</translation>
    </message>
    <message>
        <source>One &amp;ABC class (cycle count):</source>
        <translation>单一 ABC 分类（循环盘点）(&amp;A)：</translation>
    </message>
    <message>
        <source>Class {abc}</source>
        <translation>{abc} 类</translation>
    </message>
    <message>
        <source>&amp;Blind count (盲盘): the count sheet hides the book quantity</source>
        <translation>盲盘(&amp;B)：盘点表不显示账面数量</translation>
    </message>
    <message>
        <source>Counting freezes the chosen bins: no stock moves in or out of them until the stocktake is posted or cancelled.</source>
        <translation>盘点期间所选库位将被冻结：在盘点过账或取消之前，这些库位不能出入库。</translation>
    </message>
    <message>
        <source>&amp;Plan</source>
        <translation>制定计划(&amp;P)</translation>
    </message>
    <message>
        <source>Tick at least one zone.</source>
        <translation>请至少勾选一个区。</translation>
    </message>
</context>
<context>
    <name>OldPart</name>
    <message>
        <source>Returned to the warehouse</source>
        <translation>退回备件库</translation>
    </message>
    <message>
        <source>Scrapped</source>
        <translation>报废</translation>
    </message>
    <message>
        <source>Left with the customer</source>
        <translation>留给客户</translation>
    </message>
</context>
<context>
    <name>OptionalDateEdit</name>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
</context>
<context>
    <name>OrderCategory</name>
    <message>
        <source>Emergency repair</source>
        <translation>紧急故障维修</translation>
    </message>
    <message>
        <source>General troubleshooting</source>
        <translation>一般故障排查</translation>
    </message>
    <message>
        <source>Preventive maintenance</source>
        <translation>定期预防性维护</translation>
    </message>
    <message>
        <source>Technical consultation</source>
        <translation>技术咨询</translation>
    </message>
    <message>
        <source>Parts replacement</source>
        <translation>备件更换</translation>
    </message>
    <message>
        <source>Installation</source>
        <translation>安装</translation>
    </message>
</context>
<context>
    <name>OrderEvent</name>
    <message>
        <source>Registered</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>派工</translation>
    </message>
    <message>
        <source>Rescheduled</source>
        <translation>改约</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到达现场</translation>
    </message>
    <message>
        <source>Work recorded</source>
        <translation>填写维修记录</translation>
    </message>
    <message>
        <source>Parts used recorded</source>
        <translation>登记所用备件</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>完工</translation>
    </message>
    <message>
        <source>Signed by the customer</source>
        <translation>客户签字</translation>
    </message>
    <message>
        <source>Signed by the engineer</source>
        <translation>工程师签字</translation>
    </message>
    <message>
        <source>Revision made</source>
        <translation>创建修订版</translation>
    </message>
</context>
<context>
    <name>OrderStatus</name>
    <message>
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>Dispatched</source>
        <translation>已派工</translation>
    </message>
    <message>
        <source>On site</source>
        <translation>已上门</translation>
    </message>
    <message>
        <source>Work done</source>
        <translation>已完工</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>客户已签收</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>OrderStepDialog</name>
    <message>
        <source>Enter or Ctrl+Enter</source>
        <translation>回车或 Ctrl+Enter</translation>
    </message>
    <message>
        <source>Changed meanwhile</source>
        <translation>记录已被他人修改</translation>
    </message>
</context>
<context>
    <name>OrderSteps</name>
    <message>
        <source>Choose an order in the list.</source>
        <translation>请在列表中选择一张服务单。</translation>
    </message>
    <message>
        <source>The order is cancelled.</source>
        <translation>此服务单已取消。</translation>
    </message>
    <message>
        <source>Your role may not dispatch orders.</source>
        <translation>您的角色无权派工。</translation>
    </message>
    <message>
        <source>Your role may not record work on orders.</source>
        <translation>您的角色无权填写服务单的维修记录。</translation>
    </message>
    <message>
        <source>The order is signed and cannot change; make a revision.</source>
        <translation>此服务单已签字，不能修改；请创建修订版。</translation>
    </message>
    <message>
        <source>The work is completed and waits for the customer&apos;s signature; after it, a revision corrects it.</source>
        <translation>已完工，正在等待客户签字；签字后如需更正，请创建修订版。</translation>
    </message>
    <message>
        <source>Done already: the order is {status}.</source>
        <translation>此步骤已完成：服务单当前状态为“{status}”。</translation>
    </message>
    <message>
        <source>Dispatch the order first.</source>
        <translation>请先派工。</translation>
    </message>
    <message>
        <source>Record the engineer&apos;s arrival first.</source>
        <translation>请先记录工程师到达现场。</translation>
    </message>
    <message>
        <source>Complete the work first.</source>
        <translation>请先完工。</translation>
    </message>
    <message>
        <source>Only a signed order is revised.</source>
        <translation>只有已签字的服务单才能修订。</translation>
    </message>
    <message>
        <source>Dispatched already: reschedule instead.</source>
        <translation>已派工：如需更改时间，请改约。</translation>
    </message>
    <message>
        <source>The engineer is on site already.</source>
        <translation>工程师已到达现场。</translation>
    </message>
    <message>
        <source>Record the work first: the measures taken and the self-check.</source>
        <translation>请先填写维修记录：处理措施和自检。</translation>
    </message>
    <message>
        <source>Signed by the {signer} already.</source>
        <translation>{signer}已签字。</translation>
    </message>
    <message>
        <source>The order is dispatched to another engineer.</source>
        <translation>此服务单已派给其他工程师。</translation>
    </message>
    <message>
        <source>Revision {n} exists already.</source>
        <translation>第 {n} 版修订已存在。</translation>
    </message>
</context>
<context>
    <name>OrderView</name>
    <message>
        <source>Dispatch</source>
        <translation>派工</translation>
    </message>
    <message>
        <source>Reschedule</source>
        <translation>改约</translation>
    </message>
    <message>
        <source>Arrived</source>
        <translation>到达现场</translation>
    </message>
    <message>
        <source>Record work</source>
        <translation>填写维修记录</translation>
    </message>
    <message>
        <source>Parts used</source>
        <translation>所用备件</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>完工</translation>
    </message>
    <message>
        <source>Customer signs</source>
        <translation>客户签字</translation>
    </message>
    <message>
        <source>Engineer signs</source>
        <translation>工程师签字</translation>
    </message>
    <message>
        <source>Paper sign-off</source>
        <translation>纸质签收</translation>
    </message>
    <message>
        <source>Revise</source>
        <translation>修订</translation>
    </message>
    <message>
        <source>Print slip</source>
        <translation>打印服务单</translation>
    </message>
    <message>
        <source>Print the blank sign-off sheet…</source>
        <translation>打印空白客户签收单…</translation>
    </message>
    <message>
        <source>Attach the signed sheet…</source>
        <translation>添加已签字的签收单…</translation>
    </message>
    <message>
        <source>Pre&amp;view</source>
        <translation>预览(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>另存为 PDF(&amp;S)…</translation>
    </message>
    <message>
        <source>Open file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <source>No program opens this kind of file here. It was saved to:
{path}</source>
        <translation>本机没有可以打开此类文件的程序。文件已保存到：
{path}</translation>
    </message>
    <message>
        <source>Complete {number}? The record, parts and fees ({total}) then wait for the customer&apos;s signature and cannot be changed.</source>
        <translation>确认服务单 {number} 完工吗？完工后，维修记录、备件和费用（{total}）将等待客户签字，不能再修改。</translation>
    </message>
    <message>
        <source>Changed meanwhile</source>
        <translation>记录已被他人修改</translation>
    </message>
    <message>
        <source>{step}: done. Now {status}.</source>
        <translation>{step}：已完成。当前状态：{status}。</translation>
    </message>
    <message>
        <source>Customer and unit</source>
        <translation>客户与设备</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目/合同</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>服务类别</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>紧急程度</translation>
    </message>
    <message>
        <source>Wanted by</source>
        <translation>期望完成</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>服务请求</translation>
    </message>
    <message>
        <source>Site address</source>
        <translation>服务地址</translation>
    </message>
    <message>
        <source>Special requests</source>
        <translation>特殊要求</translation>
    </message>
    <message>
        <source>Coverage (三包)</source>
        <translation>保修类别（三包）</translation>
    </message>
    <message>
        <source>Proposed</source>
        <translation>系统建议</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>决定</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Reason for the decision</source>
        <translation>决定理由</translation>
    </message>
    <message>
        <source>Engineer and times</source>
        <translation>工程师与时间</translation>
    </message>
    <message>
        <source>Engineer</source>
        <translation>工程师</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约时间</translation>
    </message>
    <message>
        <source>Finish by</source>
        <translation>承诺完工时间</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完工时间</translation>
    </message>
    <message>
        <source>Reschedules</source>
        <translation>改约</translation>
    </message>
    <message>
        <source>Work</source>
        <translation>维修记录</translation>
    </message>
    <message>
        <source>Self-check</source>
        <translation>自检</translation>
    </message>
    <message>
        <source>Fees agreed</source>
        <translation>费用已确认</translation>
    </message>
    <message>
        <source>Confirmed need</source>
        <translation>确认需求</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>故障诊断</translation>
    </message>
    <message>
        <source>Measures</source>
        <translation>处理措施</translation>
    </message>
    <message>
        <source>Remaining issues</source>
        <translation>遗留问题</translation>
    </message>
    <message>
        <source>Advice</source>
        <translation>使用建议</translation>
    </message>
    <message>
        <source>Parts and fees</source>
        <translation>备件与费用</translation>
    </message>
    <message>
        <source>Labour</source>
        <translation>人工费</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>备件费</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他费用</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>In words</source>
        <translation>大写金额</translation>
    </message>
    <message>
        <source>Signatures</source>
        <translation>签字</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签字</translation>
    </message>
    <message>
        <source>Content fixed</source>
        <translation>内容摘要</translation>
    </message>
    <message>
        <source>History</source>
        <translation>处理记录</translation>
    </message>
    <message>
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <source>No order chosen</source>
        <translation>未选择服务单</translation>
    </message>
    <message>
        <source>{number}, revision {n}</source>
        <translation>{number}（第 {n} 版）</translation>
    </message>
    <message>
        <source>{n}, before: {times}</source>
        <translation>{n} 次，此前：{times}</translation>
    </message>
    <message>
        <source>not signed yet</source>
        <translation>尚未签字</translation>
    </message>
    <message>
        <source>{time} (late)</source>
        <translation>{time}（超时）</translation>
    </message>
    <message>
        <source>{time} (on time)</source>
        <translation>{time}（准时）</translation>
    </message>
    <message>
        <source>{signer}: {name}, {time}</source>
        <translation>{signer}：{name}，{time}</translation>
    </message>
    <message>
        <source> (on paper)</source>
        <translation>（纸质）</translation>
    </message>
    <message>
        <source>Open the signed sheet ({signer}: {file})</source>
        <translation>打开已签字的签收单（{signer}：{file}）</translation>
    </message>
    <message>
        <source>Choose an order in the list first (↑ ↓ in the list, or search for it).</source>
        <translation>请先在列表中选择服务单（在列表中按 ↑ ↓，或搜索）。</translation>
    </message>
</context>
<context>
    <name>Orders</name>
    <message>
        <source>{number} rev. {revision}</source>
        <translation>{number} 第 {revision} 版</translation>
    </message>
    <message>
        <source>Service orders</source>
        <translation>售后服务单</translation>
    </message>
</context>
<context>
    <name>OrdersPage</name>
    <message>
        <source>&amp;New request…</source>
        <translation>新建服务请求(&amp;N)…</translation>
    </message>
    <message>
        <source>F2</source>
        <translation>F2</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>Enter or double-click: the order&apos;s pane, where its steps are</source>
        <translation>回车或双击：打开服务单面板，在其中办理各个步骤</translation>
    </message>
    <message>
        <source>E&amp;xport to Excel…</source>
        <translation>导出到 Excel(&amp;X)…</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>Order number, customer, phone or serial number</source>
        <translation>服务单号、客户、电话或序列号</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未完结</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部服务类别</translation>
    </message>
    <message>
        <source>O&amp;verdue only</source>
        <translation>只看超期(&amp;V)</translation>
    </message>
    <message>
        <source>Create&amp;d</source>
        <translation>创建日期(&amp;D)</translation>
    </message>
    <message>
        <source>Earlier re&amp;visions</source>
        <translation>早期修订版(&amp;V)</translation>
    </message>
    <message>
        <source>Also the signed orders a correction replaced</source>
        <translation>同时显示已被更正版本取代的已签字服务单</translation>
    </message>
    <message>
        <source>{open} open, {overdue} overdue</source>
        <translation>未结 {open} 张，超期 {overdue} 张</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>已取消导出，未写入任何内容。</translation>
    </message>
    <message>
        <source>Exporting the service orders</source>
        <translation>正在导出售后服务单</translation>
    </message>
    <message>
        <source>Order {number} registered. Tell the customer the number.</source>
        <translation>服务单 {number} 已登记。请将服务单号告知客户。</translation>
    </message>
    <message>
        <source>Service orders</source>
        <translation>售后服务单</translation>
    </message>
    <message>
        <source>Export the service orders</source>
        <translation>导出售后服务单</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n order(s) to {path}.</source>
        <translation>
            <numerusform>已将 %n 张服务单导出到 {path}。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Any engineer</source>
        <translation>全部工程师</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>状态(&amp;S)：</translation>
    </message>
    <message>
        <source>C&amp;ategory:</source>
        <translation>服务类别(&amp;A)：</translation>
    </message>
</context>
<context>
    <name>PaperSignoffDialog</name>
    <message>
        <source>Attach the signed sign-off sheet</source>
        <translation>添加已签字的客户签收单</translation>
    </message>
    <message>
        <source>&amp;Attach and sign</source>
        <translation>添加并签收(&amp;A)</translation>
    </message>
    <message>
        <source>Signed by:</source>
        <translation>签字人：</translation>
    </message>
    <message>
        <source>The scan or photo of the signed sheet</source>
        <translation>已签字签收单的扫描件或照片</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Enter the name of the person who signed.</source>
        <translation>请输入签字人的姓名。</translation>
    </message>
    <message>
        <source>Choose the scan of the signed sheet.</source>
        <translation>请选择已签字签收单的扫描件。</translation>
    </message>
    <message>
        <source>The signed sign-off sheet</source>
        <translation>已签字的客户签收单</translation>
    </message>
    <message>
        <source>A photo of the sheet shows here.</source>
        <translation>此处显示签收单的照片。</translation>
    </message>
    <message>
        <source>No preview for this file.</source>
        <translation>此文件无法预览。</translation>
    </message>
</context>
<context>
    <name>PartDialog</name>
    <message>
        <source>New part</source>
        <translation>新建备件</translation>
    </message>
    <message>
        <source>Part {code}</source>
        <translation>备件 {code}</translation>
    </message>
    <message>
        <source>e.g. AC-CAP-35UF</source>
        <translation>例如 AC-CAP-35UF</translation>
    </message>
    <message>
        <source>Computed from consumption ({abc})</source>
        <translation>按消耗计算（{abc}）</translation>
    </message>
    <message>
        <source>Always {abc}</source>
        <translation>固定为 {abc}</translation>
    </message>
    <message>
        <source>part code, name or model</source>
        <translation>备件编码、名称或型号</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>移除(&amp;V)</translation>
    </message>
    <message>
        <source>Usa&amp;ge:</source>
        <translation>用途(&amp;G)：</translation>
    </message>
    <message>
        <source>Unit c&amp;ost (yuan):</source>
        <translation>单位成本（元）(&amp;O)：</translation>
    </message>
    <message>
        <source>A substitute may stand in either way: it shows on both parts.</source>
        <translation>代用关系是双向的：两个备件上都会显示。</translation>
    </message>
    <message>
        <source>&amp;Code:</source>
        <translation>编码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>型号(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Specification:</source>
        <translation>规格(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>单位(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Reorder point:</source>
        <translation>订货点(&amp;R)：</translation>
    </message>
    <message>
        <source>Sa&amp;fety stock:</source>
        <translation>安全库存(&amp;F)：</translation>
    </message>
    <message>
        <source>A&amp;BC class:</source>
        <translation>ABC 分类(&amp;B)：</translation>
    </message>
    <message>
        <source>On hand:</source>
        <translation>现有库存：</translation>
    </message>
    <message>
        <source>Substi&amp;tutes:</source>
        <translation>可代用备件(&amp;T)：</translation>
    </message>
    <message>
        <source>A part cannot be its own substitute.</source>
        <translation>备件不能代用自身。</translation>
    </message>
    <message>
        <source>There is no part with code {code}.</source>
        <translation>没有编码为 {code} 的备件。</translation>
    </message>
    <message>
        <source>Changed meanwhile</source>
        <translation>记录已被他人修改</translation>
    </message>
    <message>
        <source>nothing yet</source>
        <translation>暂无</translation>
    </message>
</context>
<context>
    <name>PartsDialog</name>
    <message>
        <source>Parts used</source>
        <translation>所用备件</translation>
    </message>
    <message>
        <source>Save the parts</source>
        <translation>保存备件</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>备件</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>已领用</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>实际使用</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Old part</source>
        <translation>旧件处理</translation>
    </message>
    <message>
        <source>Parts total:</source>
        <translation>备件合计：</translation>
    </message>
    <message>
        <source>Lines come from the parts the warehouse issued against {number}, less what went back. Used 0 leaves a part out; unused parts go back to the warehouse on a return slip.</source>
        <translation>以下各行来自备件库为 {number} 出库的备件，已扣除退库数量。使用数量为 0 表示不计入该备件；未使用的备件须办理退库，退回备件库。</translation>
    </message>
    <message>
        <source>The warehouse has issued no parts against {number} yet: the keeper issues them with the order number as the reference.</source>
        <translation>备件库尚未为 {number} 出库任何备件：库管员出库时须以服务单号作为关联单号。</translation>
    </message>
    <message>
        <source>Only {n} of {code} are issued for this order.</source>
        <translation>此服务单只领用了 {n} 个 {code}。</translation>
    </message>
    <message>
        <source>Enter the quantity used of at least one part.</source>
        <translation>请至少填写一种备件的使用数量。</translation>
    </message>
    <message>
        <source>Used of {code}</source>
        <translation>{code} 使用数量</translation>
    </message>
    <message>
        <source>Unit price of {code}</source>
        <translation>{code} 单价</translation>
    </message>
</context>
<context>
    <name>PartsPage</name>
    <message>
        <source>Search code, name or model</source>
        <translation>搜索编码、名称或型号</translation>
    </message>
    <message>
        <source>&amp;New part…</source>
        <translation>新建备件(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Import from Excel…</source>
        <translation>从 Excel 导入(&amp;I)…</translation>
    </message>
    <message>
        <source>Recompute &amp;ABC</source>
        <translation>重新计算 ABC 分类(&amp;A)</translation>
    </message>
    <message>
        <source>New &amp;bins…</source>
        <translation>新建库位(&amp;B)…</translation>
    </message>
    <message>
        <source>Bin &amp;labels…</source>
        <translation>库位标签(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Receive…</source>
        <translation>入库(&amp;R)…</translation>
    </message>
    <message>
        <source>I&amp;ssue…</source>
        <translation>出库(&amp;S)…</translation>
    </message>
    <message>
        <source>Only the warehouse keeper moves stock.</source>
        <translation>只有库管员可以进行出入库操作。</translation>
    </message>
    <message>
        <source>Importing parts from {file}</source>
        <translation>正在从 {file} 导入备件</translation>
    </message>
    <message>
        <source>Recomputing ABC classes</source>
        <translation>正在重新计算 ABC 分类</translation>
    </message>
    <message>
        <source>Import parts from Excel</source>
        <translation>从 Excel 导入备件</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx *.xlsm)</source>
        <translation>Excel 工作簿 (*.xlsx *.xlsm)</translation>
    </message>
    <message>
        <source>Bins created: {count}.</source>
        <translation>已创建库位：{count} 个。</translation>
    </message>
    <message>
        <source>Bin labels printed: {count}.</source>
        <translation>已打印库位标签：{count} 张。</translation>
    </message>
    <message>
        <source>Receipt {number} saved.</source>
        <translation>入库单 {number} 已保存。</translation>
    </message>
    <message>
        <source>Issue slip {number} saved.</source>
        <translation>配件出库单 {number} 已保存。</translation>
    </message>
    <message>
        <source>Part {code} saved.</source>
        <translation>备件 {code} 已保存。</translation>
    </message>
    <message>
        <source>ABC classes recomputed: A {a}, B {b}, C {c}.</source>
        <translation>ABC 分类已重新计算：A 类 {a} 个，B 类 {b} 个，C 类 {c} 个。</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Set password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>New password for {name} ({username}). Setting it also lifts a lockout.</source>
        <translation>为 {name}（{username}）设置新密码。设置后账户锁定也会解除。</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Repeat password:</source>
        <translation>再次输入密码(&amp;R)：</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>Preview — {name}</source>
        <translation>预览 — {name}</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>另存为 PDF(&amp;S)…</translation>
    </message>
</context>
<context>
    <name>Permission</name>
    <message>
        <source>manage user accounts and their roles</source>
        <translation>管理用户账户及其角色</translation>
    </message>
    <message>
        <source>read the audit log</source>
        <translation>查看审计日志</translation>
    </message>
    <message>
        <source>back up and restore the database</source>
        <translation>备份和恢复数据库</translation>
    </message>
    <message>
        <source>change the branch settings</source>
        <translation>修改分公司设置</translation>
    </message>
    <message>
        <source>look up customers and their installed products</source>
        <translation>查询客户及其已安装的产品</translation>
    </message>
    <message>
        <source>add and change customers and products</source>
        <translation>新增和修改客户及产品</translation>
    </message>
    <message>
        <source>see phone numbers and addresses in full on the record being worked on</source>
        <translation>在正在处理的记录中查看完整的电话号码和地址</translation>
    </message>
    <message>
        <source>export lists to Excel</source>
        <translation>将列表导出到 Excel</translation>
    </message>
    <message>
        <source>read complaints and their history</source>
        <translation>查看客户投诉及其处理记录</translation>
    </message>
    <message>
        <source>register complaints</source>
        <translation>登记客户投诉</translation>
    </message>
    <message>
        <source>acknowledge, assess and answer complaints</source>
        <translation>确认、评估和答复客户投诉</translation>
    </message>
    <message>
        <source>investigate the cause of complaints and who is responsible</source>
        <translation>调查投诉原因和责任人</translation>
    </message>
    <message>
        <source>close, reopen and escalate complaints</source>
        <translation>结案、重新打开和升级客户投诉</translation>
    </message>
    <message>
        <source>decide whether and how complaints are accepted and handled</source>
        <translation>决定是否受理投诉以及如何处理</translation>
    </message>
    <message>
        <source>enter the costs of complaints</source>
        <translation>录入投诉处理费用</translation>
    </message>
    <message>
        <source>approve costs above a user&apos;s limit</source>
        <translation>审批超出用户权限额度的费用</translation>
    </message>
    <message>
        <source>see spare parts, bins and stock</source>
        <translation>查看备件、库位和库存</translation>
    </message>
    <message>
        <source>keep the part master and the bins</source>
        <translation>维护备件主数据和库位</translation>
    </message>
    <message>
        <source>receive, issue, transfer, return and scrap spare parts</source>
        <translation>备件入库、出库、移库、退库和报废</translation>
    </message>
</context>
<context>
    <name>ProblemsTable</name>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>ProductCategory</name>
    <message>
        <source>Air conditioner</source>
        <translation>空调</translation>
    </message>
    <message>
        <source>Central air conditioning</source>
        <translation>中央空调</translation>
    </message>
    <message>
        <source>Machinery and equipment</source>
        <translation>机械设备</translation>
    </message>
</context>
<context>
    <name>ProductDialog</name>
    <message>
        <source>e.g. first class</source>
        <translation>例如：一等品</translation>
    </message>
    <message>
        <source>where the unit stands</source>
        <translation>设备所在位置</translation>
    </message>
    <message>
        <source>Ca&amp;tegory:</source>
        <translation>品类(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>型号(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Serial No.:</source>
        <translation>序列号(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Grade:</source>
        <translation>商品等级(&amp;G)：</translation>
    </message>
    <message>
        <source>&amp;Purchased on:</source>
        <translation>购买日期(&amp;P)：</translation>
    </message>
    <message>
        <source>In&amp;voice date:</source>
        <translation>发票日期(&amp;V)：</translation>
    </message>
    <message>
        <source>Invoice &amp;No.:</source>
        <translation>发票号(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Installed on:</source>
        <translation>安装日期(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Contract or project No.:</source>
        <translation>合同或项目编号(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Warranty ends:</source>
        <translation>保修截止(&amp;W)：</translation>
    </message>
    <message>
        <source>Site &amp;address:</source>
        <translation>安装地址(&amp;A)：</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>新建产品</translation>
    </message>
    <message>
        <source>Add product</source>
        <translation>添加产品</translation>
    </message>
    <message>
        <source>Product {serial}</source>
        <translation>产品 {serial}</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>ReceiveDialog</name>
    <message>
        <source>Receive parts</source>
        <translation>备件入库</translation>
    </message>
    <message>
        <source>delivery note number</source>
        <translation>送货单号</translation>
    </message>
    <message>
        <source>Part code</source>
        <translation>备件编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Bin</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit cost</source>
        <translation>单位成本</translation>
    </message>
    <message>
        <source>&amp;Add line</source>
        <translation>添加行(&amp;A)</translation>
    </message>
    <message>
        <source>Insert</source>
        <translation>Insert</translation>
    </message>
    <message>
        <source>Re&amp;move line</source>
        <translation>删除行(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Receive</source>
        <translation>入库(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Supplier document:</source>
        <translation>供应商单据(&amp;S)：</translation>
    </message>
    <message>
        <source>Receipt &amp;date:</source>
        <translation>入库日期(&amp;D)：</translation>
    </message>
    <message>
        <source>Empty unit cost: the part&apos;s unit cost. A bin holds one part at a time.</source>
        <translation>单位成本留空则使用备件的单位成本。一个库位同一时间只存放一种备件。</translation>
    </message>
    <message>
        <source>Line {n}: unit cost {cost} is not an amount.</source>
        <translation>第 {n} 行：单位成本 {cost} 不是有效金额。</translation>
    </message>
    <message>
        <source>Not a bin code: zone-shelf-layer-position, e.g. A-03-2-05.</source>
        <translation>不是有效的库位编码：区-架-层-位，例如 A-03-2-05。</translation>
    </message>
    <message>
        <source>no part with this code</source>
        <translation>没有此编码的备件</translation>
    </message>
    <message>
        <source>Check the label: the part master has no such code.</source>
        <translation>请核对标签：备件主数据中没有此编码。</translation>
    </message>
</context>
<context>
    <name>RecordType</name>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <source>Complaint step</source>
        <translation>投诉处理记录</translation>
    </message>
    <message>
        <source>Complaint cost</source>
        <translation>投诉费用</translation>
    </message>
    <message>
        <source>Attachment</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Attachment file</source>
        <translation>附件文件</translation>
    </message>
    <message>
        <source>Number counter</source>
        <translation>编号计数器</translation>
    </message>
    <message>
        <source>Branch settings</source>
        <translation>分公司设置</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
</context>
<context>
    <name>RecordsBanner</name>
    <message>
        <source>Show the whole list again</source>
        <translation>重新显示完整列表</translation>
    </message>
    <message>
        <source>Remove the restriction</source>
        <translation>取消筛选</translation>
    </message>
    <message>
        <source>Records behind: {caption} ({count})</source>
        <translation>明细记录：{caption}（{count} 条）</translation>
    </message>
</context>
<context>
    <name>RecordsOpener</name>
    <message>
        <source>Reading the records</source>
        <translation>正在读取记录</translation>
    </message>
</context>
<context>
    <name>Recourse</name>
    <message>
        <source>Negotiation</source>
        <translation>协商</translation>
    </message>
    <message>
        <source>Consumer association mediation</source>
        <translation>消协调解</translation>
    </message>
    <message>
        <source>Complaint to the authorities</source>
        <translation>行政投诉</translation>
    </message>
    <message>
        <source>Arbitration</source>
        <translation>仲裁</translation>
    </message>
    <message>
        <source>Lawsuit</source>
        <translation>诉讼</translation>
    </message>
</context>
<context>
    <name>RegisterDialog</name>
    <message>
        <source>Register a complaint</source>
        <translation>登记客户投诉</translation>
    </message>
    <message>
        <source>What the customer says, in their words</source>
        <translation>客户反映的问题（客户原话）</translation>
    </message>
    <message>
        <source>What the customer asks for (客户诉求)</source>
        <translation>客户诉求</translation>
    </message>
    <message>
        <source>&amp;Safety hazard (handled at once)</source>
        <translation>存在安全隐患（立即处理）(&amp;S)</translation>
    </message>
    <message>
        <source>Add &amp;files…</source>
        <translation>添加文件(&amp;F)…</translation>
    </message>
    <message>
        <source>Remove file</source>
        <translation>移除文件</translation>
    </message>
    <message>
        <source>&amp;Register</source>
        <translation>登记(&amp;R)</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <source>Find the customer (phone, name or serial number) or create a new one.</source>
        <translation>查找客户（电话、名称或序列号），或新建客户。</translation>
    </message>
    <message>
        <source>Write the complaint in the customer&apos;s words.</source>
        <translation>请用客户的原话记录投诉内容。</translation>
    </message>
    <message>
        <source>Ready: Ctrl+Enter registers the complaint.</source>
        <translation>已就绪：按 Ctrl+Enter 登记投诉。</translation>
    </message>
    <message>
        <source>Attach photos, scans or letters</source>
        <translation>添加照片、扫描件或信函</translation>
    </message>
    <message>
        <source>Not on file: type model and serial number</source>
        <translation>无档案：请输入型号和序列号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>产品(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>型号(&amp;M)：</translation>
    </message>
    <message>
        <source>Serial n&amp;o.:</source>
        <translation>序列号(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Purchased:</source>
        <translation>购买日期(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Invoice no.:</source>
        <translation>发票号(&amp;I)：</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>投诉情况</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>渠道(&amp;H)：</translation>
    </message>
    <message>
        <source>Recei&amp;ved at:</source>
        <translation>接收时间(&amp;V)：</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>投诉内容(&amp;D)：</translation>
    </message>
    <message>
        <source>Customer &amp;asks for:</source>
        <translation>客户诉求(&amp;A)：</translation>
    </message>
    <message>
        <source>C&amp;lass:</source>
        <translation>分类(&amp;L)：</translation>
    </message>
    <message>
        <source>S&amp;everity:</source>
        <translation>严重程度(&amp;E)：</translation>
    </message>
    <message>
        <source>Attachments:</source>
        <translation>附件：</translation>
    </message>
</context>
<context>
    <name>ReorderTab</name>
    <message>
        <source>Refres&amp;h</source>
        <translation>刷新(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Export to Excel…</source>
        <translation>导出到 Excel(&amp;E)…</translation>
    </message>
    <message>
        <source>Parts at or below their reorder point; the suggestion covers the reorder point plus a month&apos;s use, at least the safety stock.</source>
        <translation>库存已达到或低于订货点的备件；建议订货量为订货点加一个月的用量，且不少于安全库存。</translation>
    </message>
    <message>
        <source>Parts to reorder: {count}</source>
        <translation>需补货备件：{count} 种</translation>
    </message>
    <message>
        <source>Exporting the reorder list</source>
        <translation>正在导出补货清单</translation>
    </message>
    <message>
        <source>Export the reorder list</source>
        <translation>导出补货清单</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Exported {rows} rows to {path}.</source>
        <translation>已将 {rows} 行导出到 {path}。</translation>
    </message>
</context>
<context>
    <name>ResponseType</name>
    <message>
        <source>Repair</source>
        <translation>维修</translation>
    </message>
    <message>
        <source>Replace part</source>
        <translation>更换零部件</translation>
    </message>
    <message>
        <source>Exchange</source>
        <translation>换货</translation>
    </message>
    <message>
        <source>Return and refund</source>
        <translation>退货退款</translation>
    </message>
    <message>
        <source>Compensation</source>
        <translation>赔偿</translation>
    </message>
    <message>
        <source>Technical support</source>
        <translation>技术支持</translation>
    </message>
    <message>
        <source>Information and explanation</source>
        <translation>信息说明与解释</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>培训</translation>
    </message>
    <message>
        <source>Apology</source>
        <translation>道歉</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <source>Return to stock</source>
        <translation>退库</translation>
    </message>
    <message>
        <source>&amp;Load slip</source>
        <translation>载入出库单(&amp;L)</translation>
    </message>
    <message>
        <source>Issue &amp;slip:</source>
        <translation>出库单(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Part:</source>
        <translation>备件(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Quantity:</source>
        <translation>数量(&amp;Q)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>Re&amp;turn</source>
        <translation>退库(&amp;T)</translation>
    </message>
    <message>
        <source>{number} is a {kind} document, not an issue slip.</source>
        <translation>{number} 是{kind}单据，不是配件出库单。</translation>
    </message>
    <message>
        <source>{code} {name} (issued {quantity} {unit})</source>
        <translation>{code} {name}（已出库 {quantity} {unit}）</translation>
    </message>
    <message>
        <source>Load the issue slip and choose the part first.</source>
        <translation>请先载入出库单并选择备件。</translation>
    </message>
</context>
<context>
    <name>ReverseDialog</name>
    <message>
        <source>Reverse a document</source>
        <translation>冲销单据</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>显示(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Document:</source>
        <translation>单据(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>Re&amp;verse…</source>
        <translation>冲销(&amp;V)…</translation>
    </message>
    <message>
        <source>Not reversed.</source>
        <translation>未冲销。</translation>
    </message>
    <message>
        <source>{kind} {number} of {time} by {user}</source>
        <translation>{kind} {number}，{time}，{user}</translation>
    </message>
    <message>
        <source>… and {count} more lines</source>
        <translation>…… 另有 {count} 行</translation>
    </message>
    <message>
        <source>Reverse {number}? Opposite movements are written for all its {count} lines; the ledger keeps both.</source>
        <translation>冲销 {number} 吗？将为其全部 {count} 行写入反向的库存变动；台账会同时保留两者。</translation>
    </message>
</context>
<context>
    <name>ReviseDialog</name>
    <message>
        <source>Revise</source>
        <translation>修订</translation>
    </message>
    <message>
        <source>Make revision {n}</source>
        <translation>创建第 {n} 版</translation>
    </message>
    <message>
        <source>Revision {old} stays as it was signed. Revision {new} copies its work, parts and fees so you can correct them; the customer signs it again.</source>
        <translation>第 {old} 版保持签字时的内容不变。第 {new} 版复制其维修记录、备件和费用，供您更正；客户需重新签字。</translation>
    </message>
    <message>
        <source>What is wrong on the signed slip</source>
        <translation>已签字的服务单上有哪些错误</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Give the reason for the correction.</source>
        <translation>请填写更正原因。</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>Front-desk operator</source>
        <translation>客服专员</translation>
    </message>
    <message>
        <source>Service engineer</source>
        <translation>技术支持工程师</translation>
    </message>
    <message>
        <source>Warehouse keeper</source>
        <translation>库管员</translation>
    </message>
    <message>
        <source>After-sales administrator</source>
        <translation>售后服务管理人员</translation>
    </message>
    <message>
        <source>Branch manager</source>
        <translation>分公司经理</translation>
    </message>
    <message>
        <source>System administrator</source>
        <translation>系统管理员</translation>
    </message>
</context>
<context>
    <name>ScrapDialog</name>
    <message>
        <source>Scrap</source>
        <translation>报废</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Scrap</source>
        <translation>报废(&amp;S)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>This is not a database URL. Examples: D:/BranchDesk/branch.sqlite3 or postgresql://user:password@server/branchdesk</source>
        <translation>这不是有效的数据库地址。示例：D:/BranchDesk/branch.sqlite3 或 postgresql://用户:密码@服务器/branchdesk</translation>
    </message>
    <message>
        <source>BranchDesk works with a SQLite file or a PostgreSQL server, not {backend}.</source>
        <translation>BranchDesk 支持 SQLite 文件或 PostgreSQL 服务器，不支持 {backend}。</translation>
    </message>
    <message>
        <source>Give the path of the SQLite file.</source>
        <translation>请填写 SQLite 文件的路径。</translation>
    </message>
    <message>
        <source>Give the name of the database on the PostgreSQL server.</source>
        <translation>请填写 PostgreSQL 服务器上的数据库名称。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>empty: {url}</source>
        <translation>留空：{url}</translation>
    </message>
    <message>
        <source>empty: a Chinese font installed on this PC</source>
        <translation>留空：使用本机已安装的中文字体</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>Language and database take effect when BranchDesk starts next time.</source>
        <translation>界面语言和数据库在下次启动 BranchDesk 时生效。</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>界面语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>数据库(&amp;D)：</translation>
    </message>
    <message>
        <source>Branch &amp;code:</source>
        <translation>分公司代码(&amp;C)：</translation>
    </message>
    <message>
        <source>Branch &amp;name:</source>
        <translation>分公司名称(&amp;N)：</translation>
    </message>
    <message>
        <source>PDF &amp;font:</source>
        <translation>PDF 字体(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Lock after idle:</source>
        <translation>空闲自动锁定(&amp;L)：</translation>
    </message>
    <message>
        <source>Only the system administrator changes the database, branch, PDF font and lock time.</source>
        <translation>数据库、分公司、PDF 字体和锁定时间只能由系统管理员修改。</translation>
    </message>
    <message>
        <source>The branch code is 2 to 10 letters or digits, e.g. GZ01.</source>
        <translation>分公司代码为 2 到 10 个字母或数字，例如 GZ01。</translation>
    </message>
    <message>
        <source>Enter the branch name: it is printed on every form.</source>
        <translation>请输入分公司名称：每张表单上都会打印。</translation>
    </message>
    <message>
        <source>There is no font file {path}.</source>
        <translation>字体文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>The settings could not be saved: {error}</source>
        <translation>无法保存设置：{error}</translation>
    </message>
    <message>
        <source>PDF font</source>
        <translation>PDF 字体</translation>
    </message>
    <message>
        <source>Fonts (*.ttf *.ttc *.otf)</source>
        <translation>字体 (*.ttf *.ttc *.otf)</translation>
    </message>
</context>
<context>
    <name>ShelfMapPage</name>
    <message>
        <source>bin code, e.g. A-03-2-05</source>
        <translation>库位编码，例如 A-03-2-05</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Part code</source>
        <translation>备件编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>入库日期</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>现有库存</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>&amp;Transfer…</source>
        <translation>移库(&amp;T)…</translation>
    </message>
    <message>
        <source>Scra&amp;p…</source>
        <translation>报废(&amp;P)…</translation>
    </message>
    <message>
        <source>Stock in this bin:</source>
        <translation>本库位的库存：</translation>
    </message>
    <message>
        <source>Movements of this bin, newest first:</source>
        <translation>本库位的库存变动（最新的在前）：</translation>
    </message>
    <message>
        <source>&amp;Zone:</source>
        <translation>区(&amp;Z)：</translation>
    </message>
    <message>
        <source>&amp;Go to bin:</source>
        <translation>转到库位(&amp;G)：</translation>
    </message>
    <message>
        <source>No bins yet: create them on the Parts page (New bins…).</source>
        <translation>还没有库位：请在“备件”页面创建（新建库位…）。</translation>
    </message>
    <message>
        <source>Click a bin to see its stock and movements.</source>
        <translation>单击库位查看其库存和变动记录。</translation>
    </message>
    <message>
        <source>Bin {bin} · {state}</source>
        <translation>库位 {bin} · {state}</translation>
    </message>
    <message>
        <source>There is no bin {code} in zone {zone}.</source>
        <translation>{zone} 区中没有库位 {code}。</translation>
    </message>
    <message>
        <source>{number} saved.</source>
        <translation>{number} 已保存。</translation>
    </message>
    <message>
        <source>{state}: {count}</source>
        <translation>{state}：{count}</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>in stock</source>
        <translation>有库存</translation>
    </message>
    <message>
        <source>yellow: no issue for 1 month</source>
        <translation>黄色：1 个月未出库</translation>
    </message>
    <message>
        <source>red: no issue for 3 months</source>
        <translation>红色：3 个月未出库</translation>
    </message>
</context>
<context>
    <name>ShelfMapWidget</name>
    <message>
        <source>This zone has no bins.</source>
        <translation>此区没有库位。</translation>
    </message>
    <message>
        <source>Shelf {shelf}</source>
        <translation>{shelf} 架</translation>
    </message>
    <message>
        <source>{bin}: empty</source>
        <translation>{bin}：空</translation>
    </message>
    <message>
        <source>{bin}: {part} × {quantity}</source>
        <translation>{bin}：{part} × {quantity}</translation>
    </message>
    <message>
        <source>No issue for a month</source>
        <translation>一个月未出库</translation>
    </message>
    <message>
        <source>No issue for three months (slow-moving)</source>
        <translation>三个月未出库（滞用配件）</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>Customer signs</source>
        <translation>客户签字</translation>
    </message>
    <message>
        <source>Engineer signs</source>
        <translation>工程师签字</translation>
    </message>
    <message>
        <source>&amp;Sign</source>
        <translation>签字(&amp;S)</translation>
    </message>
    <message>
        <source>Total: {figures}   {words}</source>
        <translation>合计：{figures}   {words}</translation>
    </message>
    <message>
        <source>Signer&apos;s name:</source>
        <translation>签字人姓名：</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>清除(&amp;L)</translation>
    </message>
    <message>
        <source>Clear the pad (Del)</source>
        <translation>清除签字板（Del）</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>服务单</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>保修类别</translation>
    </message>
    <message>
        <source>Engineer</source>
        <translation>工程师</translation>
    </message>
    <message>
        <source>Diagnosis</source>
        <translation>故障诊断</translation>
    </message>
    <message>
        <source>Work done</source>
        <translation>处理措施</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>备件</translation>
    </message>
    <message>
        <source>Fees</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>labour {labour} · parts {parts} · other {other}</source>
        <translation>人工费 {labour} · 备件费 {parts} · 其他 {other}</translation>
    </message>
    <message>
        <source>Remaining issues</source>
        <translation>遗留问题</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Advice</source>
        <translation>使用建议</translation>
    </message>
    <message>
        <source>I confirm that the service above was done, the unit was checked and runs normally, and I accept the work and the fees.</source>
        <translation>本人确认上述服务已完成，设备经检查运行正常，同意验收上述工作并认可上述费用。</translation>
    </message>
    <message>
        <source>I confirm that I did the work above and checked the unit.</source>
        <translation>本人确认已完成上述工作并检查了设备。</translation>
    </message>
    <message>
        <source>Enter the signer&apos;s name.</source>
        <translation>请输入签字人姓名。</translation>
    </message>
    <message>
        <source>Sign on the pad with the mouse, a pen or a finger.</source>
        <translation>请用鼠标、手写笔或手指在签字板上签名。</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <source>Signature pad</source>
        <translation>签字板</translation>
    </message>
    <message>
        <source>Sign here</source>
        <translation>请在此签名</translation>
    </message>
</context>
<context>
    <name>Signer</name>
    <message>
        <source>customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>engineer</source>
        <translation>工程师</translation>
    </message>
</context>
<context>
    <name>SlipPrintDialog</name>
    <message>
        <source>Print issue slip {number}</source>
        <translation>打印配件出库单 {number}</translation>
    </message>
    <message>
        <source>Issue slip {number} is saved. Print it for the picker: the bins are listed in walking order.</source>
        <translation>配件出库单 {number} 已保存。请打印给拣货人：库位按拣货路线顺序排列。</translation>
    </message>
    <message>
        <source>Print issue slip {number}.</source>
        <translation>打印配件出库单 {number}。</translation>
    </message>
    <message>
        <source>A&amp;5</source>
        <translation>A&amp;5</translation>
    </message>
    <message>
        <source>A&amp;4</source>
        <translation>A&amp;4</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Open the PDF when it is ready, to print it</source>
        <translation>生成后打开 PDF 以便打印(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation>打印(&amp;P)</translation>
    </message>
    <message>
        <source>Paper:</source>
        <translation>纸张：</translation>
    </message>
    <message>
        <source>PDF &amp;file:</source>
        <translation>PDF 文件(&amp;F)：</translation>
    </message>
    <message>
        <source>Writing {file}…</source>
        <translation>正在写入 {file}…</translation>
    </message>
    <message>
        <source>Printing issue slip {number}</source>
        <translation>正在打印配件出库单 {number}</translation>
    </message>
    <message>
        <source>Save the issue slip as</source>
        <translation>配件出库单另存为</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Saved to {path}; no PDF viewer could open it.</source>
        <translation>已保存到 {path}；没有可以打开它的 PDF 阅读器。</translation>
    </message>
    <message>
        <source>Not printed.</source>
        <translation>未打印。</translation>
    </message>
</context>
<context>
    <name>SlipPrinting</name>
    <message>
        <source>Making the customer sign-off sheet</source>
        <translation>正在生成客户签收单</translation>
    </message>
    <message>
        <source>Print the customer sign-off sheet</source>
        <translation>打印客户签收单</translation>
    </message>
    <message>
        <source>Save the sign-off sheet as PDF</source>
        <translation>将客户签收单另存为 PDF</translation>
    </message>
    <message>
        <source>Making the service slip</source>
        <translation>正在生成售后服务单</translation>
    </message>
    <message>
        <source>Print the service slip</source>
        <translation>打印售后服务单</translation>
    </message>
    <message>
        <source>Save the service slip as PDF</source>
        <translation>将售后服务单另存为 PDF</translation>
    </message>
</context>
<context>
    <name>StepDialog</name>
    <message>
        <source>{action} — {number}</source>
        <translation>{action} — {number}</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Changed meanwhile</source>
        <translation>记录已被他人修改</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>添加附件</translation>
    </message>
    <message>
        <source>Reply:</source>
        <translation>答复：</translation>
    </message>
    <message>
        <source>What the customer was told, and when</source>
        <translation>告知客户的内容和时间</translation>
    </message>
    <message>
        <source>Assessment:</source>
        <translation>评估：</translation>
    </message>
    <message>
        <source>Initial assessment of the complaint</source>
        <translation>投诉的初步评估</translation>
    </message>
    <message>
        <source>Class:</source>
        <translation>分类：</translation>
    </message>
    <message>
        <source>Severity:</source>
        <translation>严重程度：</translation>
    </message>
    <message>
        <source>Safety hazard</source>
        <translation>安全隐患</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>Why the complaint is not accepted (不受理)</source>
        <translation>不予受理的原因</translation>
    </message>
    <message>
        <source>Cause:</source>
        <translation>原因：</translation>
    </message>
    <message>
        <source>The cause that was found</source>
        <translation>查明的原因</translation>
    </message>
    <message>
        <source>Department responsible:</source>
        <translation>责任部门：</translation>
    </message>
    <message>
        <source>Person responsible:</source>
        <translation>责任人：</translation>
    </message>
    <message>
        <source>Contract clause:</source>
        <translation>合同条款：</translation>
    </message>
    <message>
        <source>For quality disputes</source>
        <translation>用于质量争议</translation>
    </message>
    <message>
        <source>Inspection verdict:</source>
        <translation>检验机构结论：</translation>
    </message>
    <message>
        <source>The inspection agency&apos;s verdict, if any</source>
        <translation>检验机构的结论（如有）</translation>
    </message>
    <message>
        <source>Response:</source>
        <translation>处理方式：</translation>
    </message>
    <message>
        <source>Decision:</source>
        <translation>处理方案：</translation>
    </message>
    <message>
        <source>How the complaint is handled</source>
        <translation>投诉的处理方式</translation>
    </message>
    <message>
        <source>Routes of recourse the customer was told:</source>
        <translation>已告知客户的解决途径：</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>备注：</translation>
    </message>
    <message>
        <source>Duplicate of complaint no.:</source>
        <translation>重复于投诉编号：</translation>
    </message>
    <message>
        <source>e.g. the return visit found the customer dissatisfied</source>
        <translation>例如：回访发现客户不满意</translation>
    </message>
    <message>
        <source>What the new owner needs to know</source>
        <translation>新负责人需要了解的情况</translation>
    </message>
    <message>
        <source>How and when the customer was told the decision</source>
        <translation>以何种方式、在何时告知客户处理方案</translation>
    </message>
    <message>
        <source>Why, and to whom, the complaint is escalated</source>
        <translation>升级的原因以及升级给谁</translation>
    </message>
    <message>
        <source>How the customer withdrew the complaint</source>
        <translation>客户撤诉的方式</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Hand over to:</source>
        <translation>移交给：</translation>
    </message>
    <message>
        <source>Add &amp;files…</source>
        <translation>添加文件(&amp;F)…</translation>
    </message>
    <message>
        <source>Attachments:</source>
        <translation>附件：</translation>
    </message>
</context>
<context>
    <name>Stock</name>
    <message>
        <source>Yellow: 1 month idle</source>
        <translation>黄色：1 个月未动用</translation>
    </message>
    <message>
        <source>Red: 3 months idle</source>
        <translation>红色：3 个月未动用</translation>
    </message>
    <message>
        <source>Reorder list</source>
        <translation>补货清单</translation>
    </message>
    <message>
        <source>Stocktake adjustment</source>
        <translation>盘点调整</translation>
    </message>
    <message>
        <source>Posting adjustments</source>
        <translation>正在过账盘盈盘亏调整</translation>
    </message>
    <message>
        <source>Writing the count sheet</source>
        <translation>正在生成盘点表</translation>
    </message>
    <message>
        <source>Receipt date</source>
        <translation>入库日期</translation>
    </message>
    <message>
        <source>Service order</source>
        <translation>售后服务单</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>客户投诉</translation>
    </message>
    <message>
        <source>Internal use</source>
        <translation>内部领用</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
</context>
<context>
    <name>StockByBinTab</name>
    <message>
        <source>part code</source>
        <translation>备件编码</translation>
    </message>
    <message>
        <source>&amp;Zone:</source>
        <translation>区(&amp;Z)：</translation>
    </message>
    <message>
        <source>P&amp;art:</source>
        <translation>备件(&amp;A)：</translation>
    </message>
    <message>
        <source>All zones</source>
        <translation>全部区</translation>
    </message>
</context>
<context>
    <name>StocktakePage</name>
    <message>
        <source>&amp;New stocktake…</source>
        <translation>新建盘点(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Start counting</source>
        <translation>开始盘点(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Finish counting</source>
        <translation>结束盘点(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Recount…</source>
        <translation>复盘(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>审批(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Post…</source>
        <translation>过账(&amp;P)…</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>关闭(&amp;L)</translation>
    </message>
    <message>
        <source>Cance&amp;l stocktake…</source>
        <translation>取消盘点(&amp;L)…</translation>
    </message>
    <message>
        <source>Count s&amp;heet</source>
        <translation>盘点表(&amp;H)</translation>
    </message>
    <message>
        <source>Print PDF…</source>
        <translation>打印 PDF…</translation>
    </message>
    <message>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>&amp;Import filled sheet…</source>
        <translation>导入已填写的盘点表(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Variance report</source>
        <translation>盘点差异表(&amp;V)</translation>
    </message>
    <message>
        <source>PDF…</source>
        <translation>PDF…</translation>
    </message>
    <message>
        <source>Excel…</source>
        <translation>Excel…</translation>
    </message>
    <message>
        <source>Only the branch manager approves a stocktake.</source>
        <translation>只有分公司经理可以审批盘点。</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>已盘点</translation>
    </message>
    <message>
        <source>Accuracy %</source>
        <translation>准确率 %</translation>
    </message>
    <message>
        <source>Gain (盘盈)</source>
        <translation>盘盈</translation>
    </message>
    <message>
        <source>Loss (盘亏)</source>
        <translation>盘亏</translation>
    </message>
    <message>
        <source>Zones {zones}</source>
        <translation>{zones} 区</translation>
    </message>
    <message>
        <source>Class {abc}</source>
        <translation>{abc} 类</translation>
    </message>
    <message>
        <source>Whole warehouse</source>
        <translation>整个备件库</translation>
    </message>
    <message>
        <source>blind (盲盘)</source>
        <translation>盲盘</translation>
    </message>
    <message>
        <source>open (明盘)</source>
        <translation>明盘</translation>
    </message>
    <message>
        <source>No stocktake yet. Plan one with New stocktake…</source>
        <translation>还没有盘点。请用“新建盘点…”制定盘点计划。</translation>
    </message>
    <message>
        <source>planned by {user} {time}</source>
        <translation>由 {user} 于 {time} 计划</translation>
    </message>
    <message>
        <source>approved by {user}</source>
        <translation>由 {user} 审批</translation>
    </message>
    <message>
        <source>adjustments in {number}</source>
        <translation>调整单 {number}</translation>
    </message>
    <message>
        <source>Start counting freezes the bins and takes the book quantities.</source>
        <translation>开始盘点将冻结库位并记录账面数量。</translation>
    </message>
    <message>
        <source>Recount of {bin} {part} recorded.</source>
        <translation>已记录 {bin} {part} 的复盘数量。</translation>
    </message>
    <message>
        <source>Printing count sheet {number}</source>
        <translation>正在打印盘点表 {number}</translation>
    </message>
    <message>
        <source>Writing count sheet {number}</source>
        <translation>正在生成盘点表 {number}</translation>
    </message>
    <message>
        <source>Count sheet saved to {path}.</source>
        <translation>盘点表已保存到 {path}。</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>已取消导出，未写入任何文件。</translation>
    </message>
    <message>
        <source>Importing counts from {file}</source>
        <translation>正在从 {file} 导入盘点数量</translation>
    </message>
    <message>
        <source>Writing variance report {number}</source>
        <translation>正在生成盘点差异表 {number}</translation>
    </message>
    <message>
        <source>Posting stocktake {number}</source>
        <translation>正在过账盘点 {number}</translation>
    </message>
    <message>
        <source>Stocktake {number} planned.</source>
        <translation>盘点 {number} 已计划。</translation>
    </message>
    <message>
        <source>Counting started: {lines} lines, the bins are frozen.</source>
        <translation>盘点已开始：共 {lines} 行，相关库位已冻结。</translation>
    </message>
    <message>
        <source>Counting finished: {lines} lines.</source>
        <translation>盘点已结束：共 {lines} 行。</translation>
    </message>
    <message>
        <source>Approved: the differences can be posted.</source>
        <translation>已审批：可以过账盘点差异。</translation>
    </message>
    <message>
        <source>Closed.</source>
        <translation>已关闭。</translation>
    </message>
    <message>
        <source>Cancel stocktake</source>
        <translation>取消盘点</translation>
    </message>
    <message>
        <source>Cancel stocktake {number}? Nothing is adjusted and its bins are free again.</source>
        <translation>取消盘点 {number} 吗？不会做任何调整，相关库位将解除冻结。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Post stocktake</source>
        <translation>盘点过账</translation>
    </message>
    <message>
        <source>Post the differences of stocktake {number} to stock as adjustments?
{totals}
This is done once and cannot be undone here.</source>
        <translation>将盘点 {number} 的差异作为调整过账到库存吗？
{totals}
过账只能进行一次，且在此处无法撤销。</translation>
    </message>
    <message>
        <source>Recount</source>
        <translation>复盘</translation>
    </message>
    <message>
        <source>Recount of {bin} {part} {name} (first count {counted} by {user}):</source>
        <translation>复盘 {bin} {part} {name}（初盘数量 {counted}，盘点人 {user}）：</translation>
    </message>
    <message>
        <source>Save the count sheet as</source>
        <translation>盘点表另存为</translation>
    </message>
    <message>
        <source>Export the count sheet as</source>
        <translation>将盘点表导出为</translation>
    </message>
    <message>
        <source>Save the variance report as</source>
        <translation>盘点差异表另存为</translation>
    </message>
    <message>
        <source>Import a filled-in count sheet</source>
        <translation>导入已填写的盘点表</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx *.xlsm)</source>
        <translation>Excel 工作簿 (*.xlsx *.xlsm)</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation>已保存到 {path}。</translation>
    </message>
    <message>
        <source>{number} posted: adjustments in {document}.</source>
        <translation>{number} 已过账：调整单 {document}。</translation>
    </message>
    <message>
        <source>Gain (盘盈) +{gain} in {gain_lines} lines · Loss (盘亏) −{loss} in {loss_lines} lines · net {net}</source>
        <translation>盘盈 +{gain}（{gain_lines} 行）· 盘亏 −{loss}（{loss_lines} 行）· 净额 {net}</translation>
    </message>
    <message>
        <source>{n} lines beyond tolerance need a recount by someone else.</source>
        <translation>有 {n} 行超出允差，需要由其他人复盘。</translation>
    </message>
</context>
<context>
    <name>StocktakeState</name>
    <message>
        <source>Planned</source>
        <translation>已计划</translation>
    </message>
    <message>
        <source>Counting</source>
        <translation>盘点中</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>已盘点</translation>
    </message>
    <message>
        <source>Reconciled</source>
        <translation>已核对</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>已过账</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Transfer to another bin</source>
        <translation>移到其他库位</translation>
    </message>
    <message>
        <source>To &amp;bin:</source>
        <translation>目标库位(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;Transfer</source>
        <translation>移库(&amp;T)</translation>
    </message>
    <message>
        <source>Zone-shelf-layer-position, e.g. A-03-2-05.</source>
        <translation>区-架-层-位，例如 A-03-2-05。</translation>
    </message>
    <message>
        <source>Not a bin code: zone-shelf-layer-position, e.g. A-03-2-05.</source>
        <translation>不是有效的库位编码：区-架-层-位，例如 A-03-2-05。</translation>
    </message>
</context>
<context>
    <name>Urgency</name>
    <message>
        <source>Normal</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>特急</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>Account is &amp;active (the user may log in)</source>
        <translation>账户已启用(&amp;A)（该用户可以登录）</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>R&amp;ole:</source>
        <translation>角色(&amp;O)：</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <source>Create user</source>
        <translation>创建用户</translation>
    </message>
    <message>
        <source>2 to 40 letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;</source>
        <translation>2 至 40 个字母、数字、&apos;.&apos;、&apos;_&apos; 或 &apos;-&apos;</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Repeat password:</source>
        <translation>再次输入密码(&amp;R)：</translation>
    </message>
    <message>
        <source>Edit user {name}</source>
        <translation>编辑用户 {name}</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>The form now shows the saved values.</source>
        <translation>表单现已显示已保存的值。</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <source>Last login</source>
        <translation>最近登录</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No (disabled)</source>
        <translation>否（已停用）</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>&amp;New user…</source>
        <translation>新建用户(&amp;N)…</translation>
    </message>
    <message>
        <source>Ctrl+N or Insert</source>
        <translation>Ctrl+N 或 Insert</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>Enter or double-click</source>
        <translation>回车或双击</translation>
    </message>
    <message>
        <source>Set &amp;password…</source>
        <translation>设置密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>User {name} created.</source>
        <translation>已创建用户 {name}。</translation>
    </message>
    <message>
        <source>User {name} saved.</source>
        <translation>已保存用户 {name}。</translation>
    </message>
    <message>
        <source>New password set for {name}.</source>
        <translation>已为 {name} 设置新密码。</translation>
    </message>
    <message>
        <source>Disable user</source>
        <translation>停用用户</translation>
    </message>
    <message>
        <source>Disable {name} ({username})? They can no longer log in; their records stay.</source>
        <translation>停用 {name}（{username}）吗？该用户将无法登录，其记录会保留。</translation>
    </message>
    <message>
        <source>User {name} disabled.</source>
        <translation>已停用用户 {name}。</translation>
    </message>
    <message>
        <source>User {name} enabled again.</source>
        <translation>已重新启用用户 {name}。</translation>
    </message>
    <message>
        <source>Changed meanwhile</source>
        <translation>记录已被他人修改</translation>
    </message>
    <message>
        <source>Not possible</source>
        <translation>无法执行</translation>
    </message>
    <message>
        <source>Ena&amp;ble</source>
        <translation>启用(&amp;B)</translation>
    </message>
</context>
<context>
    <name>VarianceModel</name>
    <message>
        <source>Bin</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Part code</source>
        <translation>备件编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>ABC</source>
        <translation>ABC</translation>
    </message>
    <message>
        <source>Book</source>
        <translation>账面数量</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>实盘数量</translation>
    </message>
    <message>
        <source>Counted by</source>
        <translation>盘点人</translation>
    </message>
    <message>
        <source>Recounted</source>
        <translation>复盘数量</translation>
    </message>
    <message>
        <source>Recounted by</source>
        <translation>复盘人</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Tolerance</source>
        <translation>允差</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>(empty bin)</source>
        <translation>（空库位）</translation>
    </message>
    <message>
        <source>Within</source>
        <translation>在允差内</translation>
    </message>
    <message>
        <source>Beyond: recount</source>
        <translation>超出允差：需复盘</translation>
    </message>
    <message>
        <source>Beyond: recounted</source>
        <translation>超出允差：已复盘</translation>
    </message>
    <message>
        <source>found</source>
        <translation>账外</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <source>Very dissatisfied</source>
        <translation>非常不满意</translation>
    </message>
    <message>
        <source>Dissatisfied</source>
        <translation>不满意</translation>
    </message>
    <message>
        <source>Neutral</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>Satisfied</source>
        <translation>满意</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>非常满意</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Letter</source>
        <translation>信函</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>电子邮件</translation>
    </message>
    <message>
        <source>On site</source>
        <translation>上门</translation>
    </message>
    <message>
        <source>Return visit — {customer}</source>
        <translation>回访 — {customer}</translation>
    </message>
    <message>
        <source>{kind} · due {date} ({when})</source>
        <translation>{kind} · 应回访日期 {date}（{when}）</translation>
    </message>
    <message>
        <source>Customer:</source>
        <translation>客户：</translation>
    </message>
    <message>
        <source>no phone number on file</source>
        <translation>档案中没有电话号码</translation>
    </message>
    <message>
        <source>Call:</source>
        <translation>联系电话：</translation>
    </message>
    <message>
        <source>Order:</source>
        <translation>服务单：</translation>
    </message>
    <message>
        <source>Complaint:</source>
        <translation>投诉：</translation>
    </message>
    <message>
        <source>What the customer said</source>
        <translation>客户的反馈</translation>
    </message>
    <message>
        <source>&amp;Follow-up needed</source>
        <translation>需要跟进(&amp;F)</translation>
    </message>
    <message>
        <source>Opens a complaint about this visit so that somebody owns the follow-up and works against a deadline.</source>
        <translation>为此次回访登记一条投诉，由专人负责跟进并按时限处理。</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>回访方式(&amp;H)：</translation>
    </message>
    <message>
        <source>Satisfaction:</source>
        <translation>满意度：</translation>
    </message>
    <message>
        <source>Co&amp;mments:</source>
        <translation>客户意见(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Open the complaint</source>
        <translation>打开投诉(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Save visit</source>
        <translation>保存回访(&amp;S)</translation>
    </message>
    <message>
        <source>Enter; Ctrl+Enter in the comments</source>
        <translation>回车；在客户意见框中按 Ctrl+Enter</translation>
    </message>
    <message>
        <source>Choose how satisfied the customer is (Alt+1 … Alt+5).</source>
        <translation>请选择客户的满意度（Alt+1 … Alt+5）。</translation>
    </message>
    <message>
        <source>Write down what the customer is dissatisfied with.</source>
        <translation>请记录客户不满意的地方。</translation>
    </message>
    <message>
        <source>Write down what needs following up.</source>
        <translation>请记录需要跟进的事项。</translation>
    </message>
    <message>
        <source>order {number}</source>
        <translation>服务单 {number}</translation>
    </message>
    <message>
        <source>this customer</source>
        <translation>该客户</translation>
    </message>
    <message>
        <source>Saving opens a complaint about {about}, owned by you.</source>
        <translation>保存后将针对{about}登记一条投诉，由您负责。</translation>
    </message>
    <message>
        <source>Visit saved. Complaint {number} was opened, with you as its owner.</source>
        <translation>回访已保存。已登记投诉 {number}，负责人为您。</translation>
    </message>
</context>
<context>
    <name>Visits</name>
    <message>
        <source>Return visit for order {number}: </source>
        <translation>售后服务单 {number} 的回访：</translation>
    </message>
    <message>
        <source>After an order</source>
        <translation>服务后回访</translation>
    </message>
    <message>
        <source>After a complaint</source>
        <translation>投诉后回访</translation>
    </message>
    <message>
        <source>Periodic</source>
        <translation>定期回访</translation>
    </message>
    <message>
        <source>{n} d overdue</source>
        <translation>超期 {n} 天</translation>
    </message>
    <message>
        <source>today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>in {n} d</source>
        <translation>{n} 天后</translation>
    </message>
    <message>
        <source>finished {date}</source>
        <translation>{date} 完工</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <source>Overdue only</source>
        <translation>只看超期</translation>
    </message>
    <message>
        <source>Overdue and due today</source>
        <translation>超期和今日到期</translation>
    </message>
    <message>
        <source>Due within {n} days</source>
        <translation>{n} 天内到期</translation>
    </message>
    <message>
        <source>&amp;Record visit…</source>
        <translation>记录回访(&amp;R)…</translation>
    </message>
    <message>
        <source>Enter, F2 or double-click</source>
        <translation>回车、F2 或双击</translation>
    </message>
    <message>
        <source>Open &amp;customer</source>
        <translation>打开客户(&amp;C)</translation>
    </message>
    <message>
        <source>Ctrl+O: the customer&apos;s whole file</source>
        <translation>Ctrl+O：查看客户的完整档案</translation>
    </message>
    <message>
        <source>&amp;Plan periodic visits</source>
        <translation>安排定期回访(&amp;P)</translation>
    </message>
    <message>
        <source>F9: a visit due today for every important customer not visited for 6 months and every long-term customer not visited for a year</source>
        <translation>F9：为 6 个月未回访的每位重要客户和 1 年未回访的每位长期客户各安排一次今日到期的回访</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>显示(&amp;S)：</translation>
    </message>
    <message>
        <source>{overdue} overdue, {today} due today</source>
        <translation>超期 {overdue} 次，今日到期 {today} 次</translation>
    </message>
    <message>
        <source>This visit was recorded already (by a colleague?). The list is read again.</source>
        <translation>此次回访已经记录过了（可能是同事记录的）。列表已重新载入。</translation>
    </message>
    <message>
        <source>Visit to {customer} saved; complaint {number} opened.</source>
        <translation>对 {customer} 的回访已保存；已登记投诉 {number}。</translation>
    </message>
    <message>
        <source>Visit to {customer} saved.</source>
        <translation>对 {customer} 的回访已保存。</translation>
    </message>
    <message>
        <source>Planning periodic visits…</source>
        <translation>正在安排定期回访…</translation>
    </message>
    <message>
        <source>Planning periodic visits</source>
        <translation>正在安排定期回访</translation>
    </message>
    <message>
        <source>Periodic visits planned: {n}, due today.</source>
        <translation>已安排定期回访 {n} 次，今日到期。</translation>
    </message>
    <message>
        <source>No periodic visit was due: every important and long-term customer has one planned or made within their period.</source>
        <translation>没有需要安排的定期回访：每位重要客户和长期客户在其周期内都已安排或完成回访。</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <source>Welcome, {name}</source>
        <translation>欢迎，{name}</translation>
    </message>
    <message>
        <source>You are logged in as {user}, {role}, at {branch}.</source>
        <translation>您已登录：{user}，{role}，{branch}。</translation>
    </message>
    <message>
        <source>Your role may:</source>
        <translation>您的角色可以：</translation>
    </message>
    <message>
        <source>Leaving the desk? Ctrl+L locks the screen; your password unlocks it with everything as it was. File → Log out hands the desk to a colleague. File → Settings changes the language.</source>
        <translation>要离开座位？按 Ctrl+L 锁定屏幕，输入密码即可解锁，一切保持原样。“文件 → 注销”可将座位交给同事使用。“文件 → 设置”可更改界面语言。</translation>
    </message>
</context>
<context>
    <name>WorkDialog</name>
    <message>
        <source>Record work</source>
        <translation>填写维修记录</translation>
    </message>
    <message>
        <source>Save the record</source>
        <translation>保存记录</translation>
    </message>
    <message>
        <source>Confirmed need:</source>
        <translation>确认的需求：</translation>
    </message>
    <message>
        <source>What the customer needs, as confirmed on site</source>
        <translation>在现场与客户确认的需求</translation>
    </message>
    <message>
        <source>Diagnosis:</source>
        <translation>故障诊断：</translation>
    </message>
    <message>
        <source>The fault found and its cause</source>
        <translation>发现的故障及其原因</translation>
    </message>
    <message>
        <source>Measures taken:</source>
        <translation>处理措施：</translation>
    </message>
    <message>
        <source>What was done; needed before completing</source>
        <translation>采取了哪些处理；完工前必须填写</translation>
    </message>
    <message>
        <source>Labour:</source>
        <translation>人工费：</translation>
    </message>
    <message>
        <source>Other:</source>
        <translation>其他费用：</translation>
    </message>
    <message>
        <source>Fees:</source>
        <translation>费用：</translation>
    </message>
    <message>
        <source>Fees agreed with the customer before the work</source>
        <translation>施工前已与客户确认费用</translation>
    </message>
    <message>
        <source>Remaining issues:</source>
        <translation>遗留问题：</translation>
    </message>
    <message>
        <source>Empty when the fault is fixed for good (first-time fix)</source>
        <translation>故障已彻底排除（一次修复）时留空</translation>
    </message>
    <message>
        <source>Advice:</source>
        <translation>使用建议：</translation>
    </message>
    <message>
        <source>Advice to the customer on use and care</source>
        <translation>向客户提出的使用和保养建议</translation>
    </message>
    <message>
        <source>Self-check done: the unit was tested and runs normally</source>
        <translation>已自检：设备经测试运行正常</translation>
    </message>
    <message>
        <source>Parts {parts} · total {total} ({words})</source>
        <translation>备件 {parts} · 合计 {total}（{words}）</translation>
    </message>
    <message>
        <source>A fee is charged: tick that it was agreed with the customer before the work.</source>
        <translation>有收费项目：请勾选“施工前已与客户确认费用”。</translation>
    </message>
</context>
<context>
    <name>_LotDialog</name>
    <message>
        <source>part code, name or model</source>
        <translation>备件编码、名称或型号</translation>
    </message>
    <message>
        <source>S&amp;how stock</source>
        <translation>显示库存(&amp;H)</translation>
    </message>
    <message>
        <source>Bin</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>入库日期</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>现有库存</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>&amp;Part:</source>
        <translation>备件(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Lot:</source>
        <translation>批次(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Quantity:</source>
        <translation>数量(&amp;Q)：</translation>
    </message>
    <message>
        <source>No stock of {code}.</source>
        <translation>{code} 没有库存。</translation>
    </message>
    <message>
        <source>Choose the lot (bin and receipt date) first.</source>
        <translation>请先选择批次（库位和入库日期）。</translation>
    </message>
</context>
</TS>
