<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>CallStrip</name>
    <message>
        <location filename="../../ui/callstrip.py" line="11" />
        <source>Answer</source>
        <translation>接听</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="12" />
        <source>Hang up</source>
        <translation>挂断</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="13" />
        <source>Hold</source>
        <translation>保持</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="14" />
        <source>Resume</source>
        <translation>恢复通话</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="15" />
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="16" />
        <source>Keypad</source>
        <translation>拨号盘</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="17" />
        <source>Transfer</source>
        <translation>转接</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="18" />
        <source>Consult</source>
        <translation>咨询</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="19" />
        <source>Complete transfer</source>
        <translation>完成转接</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="20" />
        <source>Cancel consult</source>
        <translation>取消咨询</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="21" />
        <source>Swap</source>
        <translation>切换</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="22" />
        <source>Conference</source>
        <translation>会议</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="23" />
        <source>To survey</source>
        <translation>转满意度评价</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="24" />
        <source>Pause recording</source>
        <translation>暂停录音</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="25" />
        <source>Dial</source>
        <translation>外呼</translation>
    </message>
    <message>
        <location filename="../../ui/callstrip.py" line="38" />
        <source>Number, extension or queue</source>
        <translation>号码、分机或队列</translation>
    </message>
</context>
<context>
    <name>CustomerCard</name>
    <message>
        <location filename="../../ui/screenpop.py" line="56" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="73" />
        <source>Unknown caller: search by phone, ID, policy or plate</source>
        <translation>未识别来电：可按电话、证件号、保单号或车牌查询</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="80" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="142" />
        <source>Possible matches</source>
        <translation>可能的客户</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="142" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="143" />
        <source>ID</source>
        <translation>证件</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="143" />
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="144" />
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="144" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="145" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="145" />
        <source>Active policies</source>
        <translation>有效保单</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="146" />
        <source>Open claims</source>
        <translation>未结案件</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="146" />
        <source>Open transfer orders</source>
        <translation>在办转办单</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="147" />
        <source>Due callbacks</source>
        <translation>待回访</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="147" />
        <source>Last contacts</source>
        <translation>最近联络</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/mainwindow.py" line="67" />
        <source>csdesk</source>
        <translation>csdesk 坐席工作台</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="105" />
        <source>PBX link lost, reconnecting…</source>
        <translation>与交换机的连接中断，正在重连…</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="128" />
        <source>Resynced with the PBX: </source>
        <translation>已与交换机重新同步：</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="142" />
        <source>Enter a number, extension or queue first.</source>
        <translation>请先输入号码、分机或队列。</translation>
    </message>
</context>
<context>
    <name>RingingBanner</name>
    <message>
        <location filename="../../ui/screenpop.py" line="38" />
        <source>Caller</source>
        <translation>来电号码</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="39" />
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="40" />
        <source>Policy entered</source>
        <translation>客户输入的保单号</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="44" />
        <source>(withheld)</source>
        <translation>（未显示号码）</translation>
    </message>
</context>
<context>
    <name>SignInWindow</name>
    <message>
        <location filename="../../ui/signin.py" line="25" />
        <source>csdesk: sign in</source>
        <translation>csdesk：签入</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="28" />
        <location filename="../../ui/signin.py" line="43" />
        <source>Agent ID</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="31" />
        <source>Remote (masked data)</source>
        <translation>远程（数据脱敏）</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="31" />
        <source>On-site</source>
        <translation>职场</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="36" />
        <source>Sign in</source>
        <translation>签入</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="44" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="45" />
        <source>Desk profile</source>
        <translation>坐席类型</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="55" />
        <source>Enter your agent ID (digits only).</source>
        <translation>请输入工号（仅数字）。</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="59" />
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="70" />
        <source>Signing in…</source>
        <translation>正在签入…</translation>
    </message>
</context>
<context>
    <name>StateBar</name>
    <message>
        <location filename="../../ui/statebar.py" line="20" />
        <source>Signed out</source>
        <translation>已签出</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="21" />
        <source>Signing in…</source>
        <translation>正在签入…</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="22" />
        <location filename="../../ui/statebar.py" line="72" />
        <source>Not ready</source>
        <translation>示忙</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="23" />
        <location filename="../../ui/statebar.py" line="69" />
        <source>Ready</source>
        <translation>示闲</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="24" />
        <source>Ringing</source>
        <translation>振铃</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="25" />
        <source>Talking</source>
        <translation>通话中</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="26" />
        <source>On hold</source>
        <translation>保持中</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="27" />
        <source>Consulting</source>
        <translation>咨询中</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="28" />
        <source>Conference</source>
        <translation>会议</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="29" />
        <source>Wrap-up</source>
        <translation>话后整理</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="30" />
        <source>Signing out…</source>
        <translation>正在签出…</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="31" />
        <source>PBX unreachable</source>
        <translation>交换机不可达</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="79" />
        <source>Pause after this call</source>
        <translation>本通话后示忙</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="82" />
        <source>Extend</source>
        <translation>延长</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="84" />
        <source>Finish wrap-up</source>
        <translation>结束整理</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="161" />
        <source>Wrap-up left: %1</source>
        <translation>整理剩余：%1</translation>
    </message>
</context>
</TS>