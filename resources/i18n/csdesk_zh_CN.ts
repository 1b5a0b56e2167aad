<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlertsPanel</name>
    <message>
        <location filename="../../ui/lead/alertspanel.py" line="31" />
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../ui/lead/alertspanel.py" line="41" />
        <source>this desk</source>
        <translation>本席</translation>
    </message>
    <message>
        <location filename="../../ui/lead/alertspanel.py" line="43" />
        <source>very short call (%1)</source>
        <translation>通话过短（%1）</translation>
    </message>
    <message>
        <location filename="../../ui/lead/alertspanel.py" line="44" />
        <source>very long call (over %1)</source>
        <translation>通话过长（超过 %1）</translation>
    </message>
    <message>
        <location filename="../../ui/lead/alertspanel.py" line="45" />
        <source>not ready too long: %1 (over %2)</source>
        <translation>示忙过久：%1（超过 %2）</translation>
    </message>
    <message>
        <location filename="../../ui/lead/alertspanel.py" line="47" />
        <source>wrap-up overrun (over %1)</source>
        <translation>话后整理超时（超过 %1）</translation>
    </message>
    <message>
        <location filename="../../ui/lead/alertspanel.py" line="48" />
        <source>signed in and out %1 times within an hour</source>
        <translation>一小时内签入签出 %1 次</translation>
    </message>
    <message>
        <location filename="../../ui/lead/alertspanel.py" line="49" />
        <source>desk degraded: %1</source>
        <translation>坐席异常：%1</translation>
    </message>
    <message>
        <location filename="../../ui/lead/alertspanel.py" line="52" />
        <source> — acknowledged by %1</source>
        <translation> — 已由 %1 确认</translation>
    </message>
</context>
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
        <location filename="../../ui/callstrip.py" line="39" />
        <source>Number, extension or queue</source>
        <translation>号码、分机或队列</translation>
    </message>
</context>
<context>
    <name>CategoryPicker</name>
    <message>
        <location filename="../../ui/forms/category.py" line="25" />
        <source>Type to filter categories</source>
        <translation>输入关键字筛选分类</translation>
    </message>
</context>
<context>
    <name>ClaimForm</name>
    <message>
        <location filename="../../ui/forms/claim.py" line="65" />
        <source>Claim</source>
        <translation>案件</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="67" />
        <source>Auto</source>
        <translation>车险</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="68" />
        <source>Life, health or accident</source>
        <translation>寿险、健康险或意外险</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="71" />
        <source>YYYY-MM-DD HH:MM (local time)</source>
        <translation>年-月-日 时:分（本地时间）</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="76" />
        <source>— the caller's policies appear here —</source>
        <translation>— 来电人的保单显示在这里 —</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="78" />
        <source>Caller's policies</source>
        <translation>来电人保单</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="79" />
        <source>Product line</source>
        <translation>险种</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="80" />
        <source>Policy number</source>
        <translation>保单号</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="81" />
        <source>When</source>
        <translation>出险时间</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="82" />
        <source>What happened</source>
        <translation>出险经过</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="85" />
        <source>Auto: place, police, vehicles and people</source>
        <translation>车险：地点、交警、车辆与人员</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="88" />
        <location filename="../../ui/forms/claim.py" line="102" />
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="88" />
        <source>Yes, the police came</source>
        <translation>交警已到场</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="89" />
        <source>No police</source>
        <translation>交警未到场</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="91" />
        <source>Add vehicle</source>
        <translation>添加车辆</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="92" />
        <source>Add person</source>
        <translation>添加人员</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="94" />
        <source>Where</source>
        <translation>出险地点</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="95" />
        <source>Police attended</source>
        <translation>交警是否到场</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="96" />
        <source>Vehicles</source>
        <translation>车辆</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="97" />
        <source>Drivers, third parties, injured</source>
        <translation>驾驶人、三者、伤者</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="100" />
        <source>Life and health: event and hospital</source>
        <translation>人身险：事故类型与医院</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="102" />
        <source>Hospitalisation</source>
        <translation>住院</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="103" />
        <source>Critical illness</source>
        <translation>重大疾病</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="103" />
        <source>Death</source>
        <translation>身故</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="104" />
        <source>Accident</source>
        <translation>意外</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="110" />
        <source>YYYY-MM-DD</source>
        <translation>年-月-日</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="112" />
        <source>The insured is the policy's insured person.</source>
        <translation>被保险人即保单上的被保险人。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="113" />
        <source>Event type</source>
        <translation>事故类型</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="114" />
        <source>Hospital</source>
        <translation>医院</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="115" />
        <source>Admitted on</source>
        <translation>入院日期</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="116" />
        <source>Discharged on</source>
        <translation>出院日期</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="119" />
        <location filename="../../ui/forms/claim.py" line="246" />
        <source>Report claim</source>
        <translation>提交报案</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="177" />
        <source>Look up the caller's policies</source>
        <translation>查询来电人保单</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="185" />
        <source>— choose one of %1 policies —</source>
        <translation>— 从 %1 张保单中选择 —</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="186" />
        <source>— no policy found for this caller —</source>
        <translation>— 未找到来电人的保单 —</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="258" />
        <source>Claim reported.</source>
        <translation>报案成功。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim.py" line="253" />
        <location filename="../../ui/forms/claim.py" line="259" />
        <source>Report number %1: read it to the customer. (Claim %2)</source>
        <translation>报案号 %1：请告知客户。（案件号 %2）</translation>
    </message>
</context>
<context>
    <name>ClaimRow</name>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="36" />
        <source>Remove</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>Code</name>
    <message>
        <location filename="../../ui/forms/codes.py" line="11" />
        <source>pending</source>
        <translation>待生效</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="11" />
        <source>in force</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="12" />
        <source>lapsed</source>
        <translation>失效</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="12" />
        <source>expired</source>
        <translation>满期</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="13" />
        <source>surrendered</source>
        <translation>已退保</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="13" />
        <source>cancelled</source>
        <translation>已注销</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="14" />
        <source>compulsory auto</source>
        <translation>交强险</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="15" />
        <source>commercial auto</source>
        <translation>商业车险</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="16" />
        <source>property</source>
        <translation>财产险</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="16" />
        <source>life</source>
        <translation>寿险</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="17" />
        <source>health</source>
        <translation>健康险</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="17" />
        <source>accident</source>
        <translation>意外险</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="19" />
        <source>reported</source>
        <translation>已报案</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="19" />
        <source>registered</source>
        <translation>已立案</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="20" />
        <source>investigating</source>
        <translation>调查中</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="20" />
        <source>assessed</source>
        <translation>已定损</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="21" />
        <source>approved</source>
        <translation>已核赔</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="21" />
        <source>paid</source>
        <translation>已支付</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="22" />
        <source>closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="22" />
        <source>rejected</source>
        <translation>已拒赔</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="23" />
        <source>withdrawn</source>
        <translation>已撤案</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="25" />
        <source>new</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="25" />
        <source>sent</source>
        <translation>已派发</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="26" />
        <source>accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="26" />
        <source>in progress</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="27" />
        <source>resolved</source>
        <translation>已办结</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="27" />
        <source>returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="28" />
        <source>urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="28" />
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="29" />
        <source>normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="29" />
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="31" />
        <source>open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="31" />
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="32" />
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="32" />
        <source>success</source>
        <translation>成功</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="33" />
        <source>no answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="33" />
        <source>busy</source>
        <translation>占线</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="34" />
        <source>wrong number</source>
        <translation>号码错误</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="34" />
        <source>refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="35" />
        <source>call back later</source>
        <translation>预约回拨</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="37" />
        <source>policy holder</source>
        <translation>投保人</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="37" />
        <source>insured person</source>
        <translation>被保险人</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="38" />
        <source>beneficiary</source>
        <translation>受益人</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="40" />
        <source>resident ID</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="40" />
        <source>passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="41" />
        <source>HK/Macau permit</source>
        <translation>港澳居民来往内地通行证</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="42" />
        <source>Taiwan permit</source>
        <translation>台湾居民来往大陆通行证</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="43" />
        <source>foreign permanent residence</source>
        <translation>外国人永久居留身份证</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="44" />
        <source>Mandarin</source>
        <translation>普通话</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="44" />
        <source>English</source>
        <translation>英语</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="45" />
        <source>Cantonese</source>
        <translation>粤语</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="46" />
        <source>inbound</source>
        <translation>呼入</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="46" />
        <source>outbound</source>
        <translation>呼出</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="47" />
        <source>cooling-off callback</source>
        <translation>犹豫期回访</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="48" />
        <source>claim follow-up</source>
        <translation>理赔回访</translation>
    </message>
    <message>
        <location filename="../../ui/forms/codes.py" line="48" />
        <source>renewal</source>
        <translation>续保提醒</translation>
    </message>
</context>
<context>
    <name>CustomerCard</name>
    <message>
        <location filename="../../ui/screenpop.py" line="81" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="87" />
        <source>Unknown caller: search by phone, ID, policy or plate</source>
        <translation>未识别来电：可按电话、证件号、保单号或车牌查询</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="115" />
        <source>Looking up the caller…</source>
        <translation>正在查询来电客户…</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="167" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="366" />
        <source>Possible matches</source>
        <translation>可能的客户</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="366" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="367" />
        <source>ID</source>
        <translation>证件</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="367" />
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="368" />
        <source>Mobile</source>
        <translation>手机</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="368" />
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="369" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="369" />
        <source>Active policies</source>
        <translation>有效保单</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="370" />
        <source>Open claims</source>
        <translation>未结案件</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="370" />
        <source>Open transfer orders</source>
        <translation>在办转办单</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="371" />
        <source>Due callbacks</source>
        <translation>待回访</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="371" />
        <source>Last contacts</source>
        <translation>最近联络</translation>
    </message>
</context>
<context>
    <name>DeskHealth</name>
    <message>
        <location filename="../../ui/health.py" line="36" />
        <source>PBX link lost, reconnecting…</source>
        <translation>与交换机的连接中断，正在重连…</translation>
    </message>
    <message>
        <location filename="../../ui/health.py" line="40" />
        <source>Softphone stopped; restarting it…</source>
        <translation>软电话已停止，正在重启…</translation>
    </message>
    <message>
        <location filename="../../ui/health.py" line="48" />
        <source>Resynced with the PBX: </source>
        <translation>已与交换机重新同步：</translation>
    </message>
    <message>
        <location filename="../../ui/health.py" line="55" />
        <source>Softphone not registered with the PBX: calls cannot reach you (%1)</source>
        <translation>软电话未在交换机注册：来电无法接入（%1）</translation>
    </message>
    <message>
        <location filename="../../ui/health.py" line="59" />
        <source>Headset not available: check that it is plugged in</source>
        <translation>耳机不可用：请检查耳机是否插好</translation>
    </message>
    <message>
        <location filename="../../ui/health.py" line="60" />
        <source>Headset microphone not available: check that it is plugged in</source>
        <translation>耳机麦克风不可用：请检查耳机是否插好</translation>
    </message>
    <message>
        <location filename="../../ui/health.py" line="61" />
        <source>Ringer speaker not available: you may not hear calls ring</source>
        <translation>振铃扬声器不可用：可能听不到来电振铃</translation>
    </message>
</context>
<context>
    <name>FieldMessage</name>
    <message>
        <location filename="../../ui/forms/messages.py" line="15" />
        <source>this field is required</source>
        <translation>此项必填</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="16" />
        <source>a resident ID is 17 digits followed by a digit or X</source>
        <translation>身份证号为17位数字加1位数字或X</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="17" />
        <source>the birth date inside the ID number is not a real date</source>
        <translation>身份证号中的出生日期不存在</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="18" />
        <source>the birth date inside the ID number is impossible</source>
        <translation>身份证号中的出生日期不合理</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="19" />
        <source>the ID number's check digit is wrong; please read it again</source>
        <translation>身份证号校验位不对，请再核对一遍</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="20" />
        <source>a mobile number has digits only</source>
        <translation>手机号只能是数字</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="21" />
        <source>a mobile number has 11 digits and starts with 13 to 19</source>
        <translation>手机号为11位，以13至19开头</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="22" />
        <source>a plate starts with a province character such as 京 or 粤</source>
        <translation>车牌以省份简称开头，如京、粤</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="23" />
        <source>a VIN never contains I, O or Q</source>
        <translation>车架号不含字母 I、O、Q</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="24" />
        <source>a VIN has letters and digits only</source>
        <translation>车架号只含字母和数字</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="25" />
        <source>this is not an email address</source>
        <translation>不是有效的电子邮箱</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="26" />
        <source>this time is in the future</source>
        <translation>该时间晚于当前时间</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="27" />
        <source>this date is in the future</source>
        <translation>该日期晚于今天</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="28" />
        <source>no policy with this number</source>
        <translation>没有此保单号</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="29" />
        <source>this policy was cancelled</source>
        <translation>该保单已注销</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="30" />
        <source>the policy was not in force at this time</source>
        <translation>出险时保单不在保险期间内</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="31" />
        <source>say whether the police came</source>
        <translation>请选择交警是否到场</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="32" />
        <source>add at least the insured vehicle</source>
        <translation>至少添加标的车</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="33" />
        <source>mark which vehicle is the insured one</source>
        <translation>请标出哪辆是标的车</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="34" />
        <source>give the injury level of an injured person</source>
        <translation>请选择伤者的受伤程度</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="35" />
        <source>this field is required for a hospitalisation or critical illness</source>
        <translation>住院或重疾报案必填</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="36" />
        <source>this field is required for a hospitalisation</source>
        <translation>住院报案必填</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="37" />
        <source>discharge cannot be before admission</source>
        <translation>出院日期不能早于入院日期</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="38" />
        <source>admission cannot be before the event</source>
        <translation>入院日期不能早于出险日期</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="39" />
        <source>no call of yours with this id</source>
        <translation>没有您的这通电话</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="40" />
        <source>this call is already wrapped up</source>
        <translation>这通电话已做过小结</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="41" />
        <source>choose a service category</source>
        <translation>请选择服务分类</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="42" />
        <source>choose a second-level category</source>
        <translation>请选择二级分类</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="43" />
        <source>choose a second-level service category</source>
        <translation>请选择二级服务分类</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="44" />
        <source>say whether it was resolved on this contact</source>
        <translation>请选择是否首次联络解决</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="45" />
        <source>at most 2000 characters</source>
        <translation>最多2000个字</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="46" />
        <source>no department is routed for this category; choose one</source>
        <translation>该分类没有路由部门，请选择</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="47" />
        <source>unknown department or branch</source>
        <translation>部门或机构不存在</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="48" />
        <source>unknown customer</source>
        <translation>客户不存在</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="49" />
        <source>no SLA is defined for this priority</source>
        <translation>该优先级没有时限规定</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="50" />
        <source>give the time the customer asked to be called back</source>
        <translation>请填写客户要求的回拨时间</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="51" />
        <source>the call-back time must be in the future</source>
        <translation>回拨时间须晚于当前时间</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="52" />
        <source>only a cooling-off callback has regulator questions</source>
        <translation>只有犹豫期回访有监管问卷</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="53" />
        <source>use the form YYYY-MM-DD HH:MM</source>
        <translation>格式为 年-月-日 时:分，如 2026-11-24 09:30</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="54" />
        <source>use the form YYYY-MM-DD</source>
        <translation>格式为 年-月-日，如 2026-11-24</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="55" />
        <source>choose a customer first</source>
        <translation>请先选择客户</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="56" />
        <source>enter the last 6 characters of the ID number</source>
        <translation>请输入证件号后6位</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="57" />
        <source>no customer found; try another phone, ID, policy or plate</source>
        <translation>未找到客户，请换电话、证件号、保单号或车牌再查</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="58" />
        <source>there is no call to attach this to</source>
        <translation>没有可关联的通话</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="59" />
        <source>the answers do not match our records</source>
        <translation>回答与记录不符</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="60" />
        <source>verify the caller's identity first (name + last 6 of ID, or policy number + birth date)</source>
        <translation>请先核实来电人身份（姓名+证件号后6位，或保单号+出生日期）</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="61" />
        <source>the identity check has expired; verify the caller again</source>
        <translation>身份核实已过期，请重新核实</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="62" />
        <source>this identity check is not valid; verify the caller again</source>
        <translation>身份核实无效，请重新核实</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="63" />
        <source>the identity was verified at another desk or by another agent; verify the caller again</source>
        <translation>身份是在其他坐席核实的，请重新核实</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="64" />
        <source>the verified caller is not a party to this record</source>
        <translation>已核实的来电人不是此记录的当事人</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="69" />
        <source>a resident ID has 18 characters, this has %1</source>
        <translation>身份证号为18位，这里是 %1 位</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="71" />
        <source>a plate has 7 characters (8 for new energy), this has %1</source>
        <translation>车牌为7位（新能源8位），这里是 %1 位</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="73" />
        <source>a VIN has 17 characters, this has %1</source>
        <translation>车架号为17位，这里是 %1 位</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="74" />
        <source>at most %1 characters</source>
        <translation>最多 %1 个字</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="76" />
        <source>this is not a valid plate</source>
        <translation>车牌格式不对</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="78" />
        <source>this is a %1 policy; use the matching claim form</source>
        <translation>这是%1保单，请使用对应的报案表单</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="80" />
        <source>the answers do not match our records; %1 attempt(s) left on this call</source>
        <translation>回答与记录不符；本次通话还可尝试 %1 次</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="82" />
        <source>identity checks are locked after %1 failures on this call; transfer to a team lead or ask the customer to visit a branch</source>
        <translation>本次通话身份核实已失败 %1 次并被锁定；请转组长处理或请客户前往网点</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="84" />
        <source>this task is already %1</source>
        <translation>该任务已是%1状态</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="85" />
        <source>not found: %1</source>
        <translation>未找到：%1</translation>
    </message>
    <message>
        <location filename="../../ui/forms/messages.py" line="87" />
        <source>someone else changed this record after you loaded it; reload it and try again</source>
        <translation>此记录在您打开后已被他人修改，请刷新后重试</translation>
    </message>
</context>
<context>
    <name>FormPage</name>
    <message>
        <location filename="../../ui/forms/page.py" line="59" />
        <source>Discard it</source>
        <translation>放弃此内容</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="60" />
        <source>Empty this form and drop its draft, to use it for the call up now</source>
        <translation>清空本表单并删除其草稿，以便用于当前通话</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="189" />
        <source>Kept for the earlier call it was typed on: %1</source>
        <translation>保留给填写时的上一通电话：%1</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="192" />
        <source>Attached to the call this draft was typed on.</source>
        <translation>关联到录入此草稿时的通话。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="194" />
        <source>No call: what you save here is not attached to a call.</source>
        <translation>当前无通话：此处保存的内容不关联通话。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="196" />
        <source>Attached to the call that ended: %1</source>
        <translation>关联刚结束的通话：%1</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="183" />
        <source>(withheld)</source>
        <translation>（未显示号码）</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="202" />
        <source>Attached to the current call: %1</source>
        <translation>关联当前通话：%1</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="206" />
        <source>Discarded what was typed on the earlier call.</source>
        <translation>已放弃在上一通电话中填写的内容。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="255" />
        <location filename="../../ui/forms/page.py" line="290" />
        <source>%1 failed: %2</source>
        <translation>%1失败：%2</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="297" />
        <source>Please correct the marked fields; nothing was saved.</source>
        <translation>请更正标出的字段；尚未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="369" />
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="378" />
        <source>Load draft</source>
        <translation>读取草稿</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="406" />
        <source>Draft restored.</source>
        <translation>草稿已恢复。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/page.py" line="416" />
        <location filename="../../ui/forms/page.py" line="451" />
        <source>Discard draft</source>
        <translation>丢弃草稿</translation>
    </message>
</context>
<context>
    <name>FormsPanel</name>
    <message>
        <location filename="../../ui/forms/panel.py" line="37" />
        <source>Query</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../ui/forms/panel.py" line="37" />
        <source>Claim report</source>
        <translation>报案</translation>
    </message>
    <message>
        <location filename="../../ui/forms/panel.py" line="37" />
        <source>Wrap-up</source>
        <translation>话后整理</translation>
    </message>
    <message>
        <location filename="../../ui/forms/panel.py" line="38" />
        <source>Transfer order</source>
        <translation>转办</translation>
    </message>
    <message>
        <location filename="../../ui/forms/panel.py" line="38" />
        <source>Outbound</source>
        <translation>外呼</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <location filename="../../ui/lock.py" line="137" />
        <source>The password could not be checked; try again</source>
        <translation>无法校验密码，请重试</translation>
    </message>
</context>
<context>
    <name>IndicatorsPanel</name>
    <message>
        <location filename="../../ui/lead/indicators.py" line="40" />
        <source>Answer rate</source>
        <translation>服务接通率</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="41" />
        <source>服务接通率: contacts answered after entering the human queue ÷ contacts that entered it (from the PBX's queue log; callers who hung up before reaching an agent count as entered).</source>
        <translation>服务接通率：进入人工队列后被接通的来电数 ÷ 进入人工队列的来电数（取自交换机队列日志；未接通前挂断的来电计入进入数）。</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="43" />
        <source>CSR utilisation</source>
        <translation>利用率</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="44" />
        <source>利用率: (productive time + ready time) ÷ paid working time, from the agents' state history. Productive: ringing, talking, on hold, consulting, conference and wrap-up; ready: waiting for a call; paid working time: signed-in time.</source>
        <translation>利用率：（生产时间 + 就绪时间）÷ 付薪工作时间，按坐席状态历史计算。生产时间：振铃、通话、保持、咨询、会议和话后整理；就绪时间：示闲等待来电；付薪工作时间：签入时长。</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="47" />
        <source>Customer satisfaction</source>
        <translation>客户满意度</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="48" />
        <source>(very satisfied + satisfied) ÷ valid ratings: survey scores 3 and 4 over scores 1–4. Callers who did not answer the survey are not valid ratings.</source>
        <translation>（非常满意 + 满意）÷ 有效评价数：评分 3 和 4 占评分 1–4 的比例。未参与评价的来电不计为有效评价。</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="50" />
        <source>First-contact resolution</source>
        <translation>首次解决率</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="51" />
        <source>Contacts resolved at the first contact ÷ all contacts, from the wrap-ups.</source>
        <translation>首次接触即解决的服务数 ÷ 全部服务数，取自小结登记。</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="52" />
        <source>Cooling-off callback success</source>
        <translation>犹豫期内回访成功率</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="53" />
        <source>犹豫期内回访成功率: successful callbacks of new policies ÷ callbacks due in the period.</source>
        <translation>犹豫期内回访成功率：期内新单回访成功数 ÷ 期内应回访数。</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="54" />
        <source>Abandoned calls</source>
        <translation>放弃呼叫数</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="55" />
        <source>Callers who hung up while waiting in the queue, before reaching an agent (PBX queue log).</source>
        <translation>在队列中等待、接通坐席前挂断的来电数（交换机队列日志）。</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="67" />
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="73" />
        <source>Show period</source>
        <translation>查看时段</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="74" />
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="75" />
        <source>Export XLSX…</source>
        <translation>导出 XLSX…</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="78" />
        <source>From (UTC)</source>
        <translation>从（UTC）</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="78" />
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../ui/lead/indicators.py" line="124" />
        <source>Export indicators</source>
        <translation>导出指标</translation>
    </message>
</context>
<context>
    <name>IntervalChart</name>
    <message>
        <location filename="../../ui/lead/chart.py" line="33" />
        <source>Calls per 15 minutes</source>
        <translation>每15分钟呼叫量</translation>
    </message>
    <message>
        <location filename="../../ui/lead/chart.py" line="34" />
        <source>Offered</source>
        <translation>呼入</translation>
    </message>
    <message>
        <location filename="../../ui/lead/chart.py" line="34" />
        <source>Answered</source>
        <translation>接通</translation>
    </message>
    <message>
        <location filename="../../ui/lead/chart.py" line="36" />
        <source>Service level (20 s), %</source>
        <translation>服务水平（20秒），%</translation>
    </message>
</context>
<context>
    <name>LeadWindow</name>
    <message>
        <location filename="../../ui/lead/window.py" line="50" />
        <source>csdesk · team lead</source>
        <translation>csdesk · 组负责人</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="73" />
        <source>Listen</source>
        <translation>监听</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="74" />
        <source>Whisper</source>
        <translation>耳语</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="75" />
        <source>Barge</source>
        <translation>强插</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="76" />
        <location filename="../../ui/lead/window.py" line="177" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="77" />
        <location filename="../../ui/lead/window.py" line="188" />
        <location filename="../../ui/lead/window.py" line="191" />
        <source>Sign agent out</source>
        <translation>强制签出</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="78" />
        <location filename="../../ui/lead/window.py" line="196" />
        <location filename="../../ui/lead/window.py" line="206" />
        <source>Reassign work…</source>
        <translation>改派工单…</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="81" />
        <location filename="../../ui/lead/window.py" line="181" />
        <source>Force not ready</source>
        <translation>强制示忙</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="101" />
        <source>%1 on %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="130" />
        <source>Team</source>
        <translation>班组</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="131" />
        <location filename="../../ui/lead/window.py" line="213" />
        <source>Indicators</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="139" />
        <source>Listening</source>
        <translation>监听中</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="139" />
        <source>Whispering</source>
        <translation>耳语中</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="139" />
        <source>Barged in</source>
        <translation>已强插</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="169" />
        <source>Choose an agent in the wallboard first.</source>
        <translation>请先在监控墙中选择坐席。</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="182" />
        <source>%1 set not ready.</source>
        <translation>已将 %1 置为示忙。</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="189" />
        <source>Sign agent %1 out of every queue?</source>
        <translation>将坐席 %1 从所有队列签出？</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="192" />
        <source>%1 signed out.</source>
        <translation>%1 已签出。</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="207" />
        <source>Reassigned.</source>
        <translation>已改派。</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="210" />
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="217" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../ui/lead/window.py" line="219" />
        <source>Exported: %1</source>
        <translation>已导出：%1</translation>
    </message>
</context>
<context>
    <name>LiveFigures</name>
    <message>
        <location filename="../../ui/figures.py" line="27" />
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="27" />
        <source>Waiting</source>
        <translation>排队数</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="28" />
        <source>Longest</source>
        <translation>最长等待</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="28" />
        <source>Answered</source>
        <translation>接通</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="29" />
        <source>Abandoned</source>
        <translation>放弃</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="29" />
        <source>SL 20 s</source>
        <translation>20秒服务水平</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="34" />
        <source>Live figures</source>
        <translation>实时指标</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="80" />
        <source>My day: no figures yet</source>
        <translation>我的今日：暂无数据</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="84" />
        <source>My day: %1 calls · AHT %2 · utilisation %3 · satisfaction %4</source>
        <translation>我的今日：%1 通 · 平均处理 %2 · 利用率 %3 · 满意度 %4</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="92" />
        <source>Alert: %1 (%2)</source>
        <translation>提醒：%1（%2）</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="102" />
        <source>very short call</source>
        <translation>通话过短</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="103" />
        <source>very long call</source>
        <translation>通话过长</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="104" />
        <source>not ready too long</source>
        <translation>示忙过久</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="105" />
        <source>wrap-up overrun</source>
        <translation>话后整理超时</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="106" />
        <source>repeated sign-in/sign-out</source>
        <translation>频繁签入签出</translation>
    </message>
    <message>
        <location filename="../../ui/figures.py" line="107" />
        <source>desk degraded</source>
        <translation>坐席异常</translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <location filename="../../ui/lock.py" line="34" />
        <source>This desk is locked</source>
        <translation>本席已锁定</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="39" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="40" />
        <source>Password to unlock</source>
        <translation>输入密码解锁</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="41" />
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/mainwindow.py" line="80" />
        <source>csdesk</source>
        <translation>csdesk 坐席工作台</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="220" />
        <source>Dial</source>
        <translation>外呼</translation>
    </message>
    <message>
        <source>PBX link lost, reconnecting…</source>
        <translation type="vanished">与交换机的连接中断，正在重连…</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="180" />
        <source>Wrap-up resumed after the restart, %1 left.</source>
        <translation>已接续重启前的话后整理，剩余 %1。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="185" />
        <source>Your wrap-up time ran out while the desk was closed; you are now %1.</source>
        <translation>工作台关闭期间话后整理时间已到，您现在为%1。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="255" />
        <source>Show who changed your state</source>
        <translation>显示更改您状态的组长</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="271" />
        <source>Wrap-up saved.</source>
        <translation>小结已保存。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="287" />
        <source>Customer lookup failed: </source>
        <translation>客户查询失败：</translation>
    </message>
    <message>
        <source>Resynced with the PBX: </source>
        <translation type="vanished">已与交换机重新同步：</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="318" />
        <source>Search</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="320" />
        <source>Search failed.</source>
        <translation>查询失败。</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="330" />
        <source>Show customer</source>
        <translation>显示客户</translation>
    </message>
    <message>
        <location filename="../../ui/mainwindow.py" line="339" />
        <source>Enter a number, extension or queue first.</source>
        <translation>请先输入号码、分机或队列。</translation>
    </message>
</context>
<context>
    <name>OutboundPage</name>
    <message>
        <location filename="../../ui/forms/outbound.py" line="115" />
        <source>Cooling-off callback</source>
        <translation>犹豫期回访</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="115" />
        <source>Claim follow-up</source>
        <translation>理赔回访</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="116" />
        <source>Renewal</source>
        <translation>续保提醒</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="119" />
        <source>Due callbacks</source>
        <translation>待回访</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="120" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="121" />
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="121" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="121" />
        <source>Due</source>
        <translation>应拨时间</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="121" />
        <source>Call by</source>
        <translation>回访期限</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="122" />
        <source>Attempts</source>
        <translation>拨打次数</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="122" />
        <source>Last result</source>
        <translation>上次结果</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="129" />
        <source>Call and result</source>
        <translation>外呼与结果</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="130" />
        <location filename="../../ui/forms/outbound.py" line="277" />
        <source>Choose a task above.</source>
        <translation>请先在上方选择任务。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="132" />
        <location filename="../../ui/forms/outbound.py" line="295" />
        <source>Number to dial</source>
        <translation>外呼号码</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="133" />
        <source>Dial</source>
        <translation>外呼</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="140" />
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="140" />
        <source>Success</source>
        <translation>成功</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="141" />
        <source>No answer</source>
        <translation>无人接听</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="141" />
        <source>Busy</source>
        <translation>占线</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="142" />
        <source>Wrong number</source>
        <translation>号码错误</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="142" />
        <source>Refused</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="143" />
        <source>Call back later</source>
        <translation>预约回拨</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="146" />
        <source>YYYY-MM-DD HH:MM (local time)</source>
        <translation>年-月-日 时:分（本地时间）</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="150" />
        <source>Cooling-off questionnaire (regulator): ask each question</source>
        <translation>犹豫期回访问卷（监管要求）：逐项询问</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="157" />
        <source>Did you sign the application yourself?</source>
        <translation>投保单是否为您本人签名？</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="158" />
        <source>Do you understand the policy terms, including the exclusions?</source>
        <translation>您是否了解保险条款，包括责任免除？</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="159" />
        <source>Do you know about the cooling-off period and your right to cancel in it?</source>
        <translation>您是否知道犹豫期以及在犹豫期内可以退保？</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="169" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="170" />
        <source>Phone number</source>
        <translation>电话号码</translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="vanished">编号</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="171" />
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="172" />
        <source>Call back at</source>
        <translation>回拨时间</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="173" />
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="178" />
        <source>Save result</source>
        <translation>保存结果</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="213" />
        <source>Attached to the call placed for this task: %1</source>
        <translation>关联为此任务拨出的通话：%1</translation>
    </message>
    <message>
        <source>(withheld)</source>
        <translation type="vanished">（未显示号码）</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="222" />
        <source>Load due callbacks</source>
        <translation>读取待回访任务</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="231" />
        <source>period ended</source>
        <translation>已过犹豫期</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="231" />
        <source>today</source>
        <translation>今天截止</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="232" />
        <source>tomorrow</source>
        <translation>明天截止</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="232" />
        <source>in %1 days</source>
        <translation>%1 天后截止</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="253" />
        <source>The cooling-off period ends on this day: only a callback made by then counts for the regulator.</source>
        <translation>犹豫期到这一天结束：只有在此之前完成的回访才计入监管考核。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="279" />
        <source>Task %1: %2, due %3</source>
        <translation>任务 %1：%2，应于 %3</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="282" />
        <source>call by %1</source>
        <translation>回访期限 %1</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="311" />
        <source>Leave empty to dial %1 (the number stays hidden)</source>
        <translation>留空即拨打 %1（号码不显示）</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="317" />
        <source>Show the customer</source>
        <translation>显示客户</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="338" />
        <location filename="../../ui/forms/outbound.py" line="346" />
        <source>Dial the customer</source>
        <translation>拨打客户</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="354" />
        <source>Dialling task %1 without marking it as yours: the database is unreachable.</source>
        <translation>正在拨打任务 %1，但数据库无法连接，未能将其标记为由您处理。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="357" />
        <source>Dialling task %1…</source>
        <translation>正在拨打任务 %1…</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="377" />
        <source>Save call result</source>
        <translation>保存外呼结果</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="391" />
        <source>Result saved: task %1 is now %2.</source>
        <translation>结果已保存：任务 %1 状态为 %2。</translation>
    </message>
</context>
<context>
    <name>OutboxIndicator</name>
    <message>
        <location filename="../../ui/outbox.py" line="13" />
        <source>Claim saved on this desk; it is written to the database when it is back.</source>
        <translation>报案已保存在本机，数据库恢复后写入。</translation>
    </message>
    <message>
        <location filename="../../ui/outbox.py" line="15" />
        <source>Wrap-up saved on this desk; it is written to the database when it is back.</source>
        <translation>小结已保存在本机，数据库恢复后写入。</translation>
    </message>
    <message>
        <location filename="../../ui/outbox.py" line="17" />
        <source>Transfer order saved on this desk; it is sent when the database is back.</source>
        <translation>转办单已保存在本机，数据库恢复后发送。</translation>
    </message>
    <message>
        <location filename="../../ui/outbox.py" line="19" />
        <source>Call result saved on this desk; it is written to the database when it is back.</source>
        <translation>外呼结果已保存在本机，数据库恢复后写入。</translation>
    </message>
    <message>
        <location filename="../../ui/outbox.py" line="22" />
        <source>Saved locally, %1 waiting</source>
        <translation>已保存在本机，%1 条待写入</translation>
    </message>
    <message>
        <location filename="../../ui/outbox.py" line="23" />
        <source>%1 saved item(s) refused by the database; ask your team lead</source>
        <translation>%1 条本机保存的记录被数据库拒绝，请联系组长</translation>
    </message>
    <message>
        <location filename="../../ui/outbox.py" line="24" />
        <source>Database back: %1 saved item(s) written.</source>
        <translation>数据库已恢复：%1 条本机保存的记录已写入。</translation>
    </message>
    <message>
        <location filename="../../ui/outbox.py" line="25" />
        <source>Claim report %1 was written as %2; tell the customer.</source>
        <translation>报案号 %1 已改为 %2 写入，请告知客户。</translation>
    </message>
</context>
<context>
    <name>PersonRow</name>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="97" />
        <source>Driver</source>
        <translation>驾驶人</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="97" />
        <source>Third party</source>
        <translation>三者</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="98" />
        <source>Injured</source>
        <translation>伤者</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="101" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="103" />
        <source>Mobile (optional)</source>
        <translation>手机（选填）</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="105" />
        <source>Not injured</source>
        <translation>未受伤</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="105" />
        <source>Minor injury</source>
        <translation>轻伤</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="106" />
        <source>Serious injury</source>
        <translation>重伤</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="106" />
        <source>Fatal</source>
        <translation>死亡</translation>
    </message>
</context>
<context>
    <name>QueryForm</name>
    <message>
        <location filename="../../ui/forms/query.py" line="82" />
        <source>1. Find the customer</source>
        <translation>1. 查找客户</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="84" />
        <source>Phone, ID number, policy number or plate</source>
        <translation>电话、证件号、保单号或车牌</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="85" />
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="91" />
        <source>Search</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="92" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="94" />
        <source>2. Verify the caller's identity</source>
        <translation>2. 核实来电人身份</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="96" />
        <source>Name + last 6 of the ID number</source>
        <translation>姓名 + 证件号后6位</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="97" />
        <source>Policy number + birth date</source>
        <translation>保单号 + 出生日期</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="103" />
        <source>YYYY-MM-DD</source>
        <translation>年-月-日</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="104" />
        <location filename="../../ui/forms/query.py" line="137" />
        <location filename="../../ui/forms/query.py" line="273" />
        <source>Verify</source>
        <translation>核实</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="106" />
        <source>Method</source>
        <translation>核实方式</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="107" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="108" />
        <source>Last 6 of ID</source>
        <translation>证件号后6位</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="109" />
        <location filename="../../ui/forms/query.py" line="116" />
        <location filename="../../ui/forms/query.py" line="245" />
        <location filename="../../ui/forms/query.py" line="259" />
        <source>Policy number</source>
        <translation>保单号</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="110" />
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="114" />
        <source>3. Policy and claim details</source>
        <translation>3. 保单与理赔信息</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="117" />
        <location filename="../../ui/forms/query.py" line="221" />
        <location filename="../../ui/forms/query.py" line="234" />
        <source>Show policy</source>
        <translation>查看保单</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="119" />
        <location filename="../../ui/forms/query.py" line="259" />
        <source>Claim number</source>
        <translation>案件号</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="120" />
        <location filename="../../ui/forms/query.py" line="240" />
        <source>Show claim</source>
        <translation>查看案件</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="130" />
        <source>Policy</source>
        <translation>保单</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="131" />
        <source>Claim</source>
        <translation>案件</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="172" />
        <source>Find customer</source>
        <translation>查找客户</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="185" />
        <source>%1 customer(s) found. Verify the caller.</source>
        <translation>找到 %1 位客户，请核实来电人身份。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="215" />
        <source>Verify identity</source>
        <translation>核实身份</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="224" />
        <source>Identity verified. Details may be shown to this caller.</source>
        <translation>身份已核实，可向来电人提供保单信息。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="245" />
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="246" />
        <location filename="../../ui/forms/query.py" line="260" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="246" />
        <source>Issued</source>
        <translation>签单日期</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="247" />
        <source>In force</source>
        <translation>保险期间</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="248" />
        <source>Cooling-off ends</source>
        <translation>犹豫期截止</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="249" />
        <source>Premium</source>
        <translation>保费</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="249" />
        <source>Sum insured</source>
        <translation>保额</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="252" />
        <source>Vehicle</source>
        <translation>车辆</translation>
    </message>
    <message>
        <location filename="../../ui/forms/query.py" line="260" />
        <source>Opened</source>
        <translation>立案时间</translation>
    </message>
</context>
<context>
    <name>QuestionRow</name>
    <message>
        <location filename="../../ui/forms/outbound.py" line="80" />
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="80" />
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../ui/forms/outbound.py" line="80" />
        <source>Unclear</source>
        <translation>不清楚</translation>
    </message>
</context>
<context>
    <name>QueueTile</name>
    <message>
        <location filename="../../ui/lead/tiles.py" line="33" />
        <source>Waiting</source>
        <translation>排队数</translation>
    </message>
    <message>
        <location filename="../../ui/lead/tiles.py" line="33" />
        <source>Longest wait</source>
        <translation>最长等待</translation>
    </message>
    <message>
        <location filename="../../ui/lead/tiles.py" line="34" />
        <source>Service level (20 s)</source>
        <translation>服务水平（20秒）</translation>
    </message>
    <message>
        <location filename="../../ui/lead/tiles.py" line="34" />
        <source>Answered</source>
        <translation>接通</translation>
    </message>
    <message>
        <location filename="../../ui/lead/tiles.py" line="35" />
        <source>Abandoned</source>
        <translation>放弃</translation>
    </message>
    <message>
        <location filename="../../ui/lead/tiles.py" line="35" />
        <source>Answer rate</source>
        <translation>服务接通率</translation>
    </message>
    <message>
        <location filename="../../ui/lead/tiles.py" line="40" />
        <source>Calls answered within 20 seconds of entering the queue ÷ calls answered, as the PBX counts them.</source>
        <translation>进入队列后20秒内接通的来电数 ÷ 接通来电数（交换机统计）。</translation>
    </message>
    <message>
        <location filename="../../ui/lead/tiles.py" line="42" />
        <source>Answer rate: callers answered ÷ callers who entered the queue (answered + abandoned + still waiting), since the PBX's counters were last reset.</source>
        <translation>接通率：接通来电数 ÷ 进入队列的来电数（接通 + 放弃 + 仍在等待），自交换机计数器上次清零起。</translation>
    </message>
</context>
<context>
    <name>QuickSearch</name>
    <message>
        <location filename="../../ui/screenpop.py" line="182" />
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="183" />
        <source>ID number</source>
        <translation>证件号</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="184" />
        <source>Policy number</source>
        <translation>保单号</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="185" />
        <source>Plate</source>
        <translation>车牌</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="194" />
        <source>Search the caller</source>
        <translation>查找来电客户</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="196" />
        <source>Search</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="216" />
        <source>Type what to search for.</source>
        <translation>请输入查询内容。</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="219" />
        <source>A masked value finds nobody: type what the caller tells you.</source>
        <translation>脱敏后的内容无法查询，请输入客户告知的内容。</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="221" />
        <source>Searching…</source>
        <translation>查询中…</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="232" />
        <source>%1 found</source>
        <translation>找到 %1 位客户</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="233" />
        <source>No customer found.</source>
        <translation>未找到客户。</translation>
    </message>
</context>
<context>
    <name>ReassignDialog</name>
    <message>
        <location filename="../../ui/lead/reassign.py" line="26" />
        <source>Reassign work</source>
        <translation>改派工单</translation>
    </message>
    <message>
        <location filename="../../ui/lead/reassign.py" line="28" />
        <source>Transfer order</source>
        <translation>转办</translation>
    </message>
    <message>
        <location filename="../../ui/lead/reassign.py" line="28" />
        <source>Outbound task</source>
        <translation>外呼任务</translation>
    </message>
    <message>
        <location filename="../../ui/lead/reassign.py" line="32" />
        <source>being dialled by %1</source>
        <translation>%1 正在拨打</translation>
    </message>
    <message>
        <location filename="../../ui/lead/reassign.py" line="37" />
        <source>Agent ID</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../ui/lead/reassign.py" line="42" />
        <source>Open transfer orders and outbound tasks</source>
        <translation>在办转办单与外呼任务</translation>
    </message>
</context>
<context>
    <name>RestoreBar</name>
    <message>
        <location filename="../../ui/forms/restorebar.py" line="22" />
        <source>Restore draft</source>
        <translation>恢复草稿</translation>
    </message>
    <message>
        <location filename="../../ui/forms/restorebar.py" line="23" />
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location filename="../../ui/forms/restorebar.py" line="34" />
        <source>An unsaved draft of this form was found (saved %1). Restore it?</source>
        <translation>发现本表单未提交的草稿（保存于 %1），是否恢复？</translation>
    </message>
</context>
<context>
    <name>RingingBanner</name>
    <message>
        <location filename="../../ui/screenpop.py" line="54" />
        <source>Caller</source>
        <translation>来电号码</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="55" />
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="56" />
        <source>Policy entered</source>
        <translation>客户输入的保单号</translation>
    </message>
    <message>
        <location filename="../../ui/screenpop.py" line="60" />
        <source>(withheld)</source>
        <translation>（未显示号码）</translation>
    </message>
</context>
<context>
    <name>ScreenPopPanel</name>
    <message>
        <location filename="../../ui/screenpop.py" line="263" />
        <source>No call. When a call rings, the caller and their customer card show here.</source>
        <translation>当前无通话。来电振铃时，这里显示来电人和客户资料。</translation>
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
        <location filename="../../ui/signin.py" line="45" />
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
        <location filename="../../ui/signin.py" line="42" />
        <source>csdesk agent desk</source>
        <translation>csdesk 坐席工作台</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="46" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="47" />
        <source>Desk profile</source>
        <translation>坐席类型</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="60" />
        <source>Enter your agent ID (digits only).</source>
        <translation>请输入工号（仅数字）。</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="64" />
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <location filename="../../ui/signin.py" line="75" />
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
        <location filename="../../ui/statebar.py" line="75" />
        <source>Not ready</source>
        <translation>示忙</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="23" />
        <location filename="../../ui/statebar.py" line="72" />
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
        <location filename="../../ui/statebar.py" line="80" />
        <source>Pause after this call</source>
        <translation>本通话后示忙</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="83" />
        <source>Extend</source>
        <translation>延长</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="85" />
        <source>Finish wrap-up</source>
        <translation>结束整理</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="153" />
        <source>signed out by %1</source>
        <translation>已被 %1 签出</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="155" />
        <source>set not-ready by %1</source>
        <translation>由 %1 置为示忙</translation>
    </message>
    <message>
        <location filename="../../ui/statebar.py" line="195" />
        <source>Wrap-up left: %1</source>
        <translation>整理剩余：%1</translation>
    </message>
</context>
<context>
    <name>TransferPage</name>
    <message>
        <location filename="../../ui/forms/transfer.py" line="56" />
        <source>New transfer order</source>
        <translation>新建转办单</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="63" />
        <source>— from the routing table —</source>
        <translation>— 按路由表 —</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="66" />
        <source>Urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="66" />
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="66" />
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="67" />
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="83" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="84" />
        <source>Service category</source>
        <translation>服务分类</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="85" />
        <source>Customer's problem</source>
        <translation>客户问题</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="86" />
        <source>Department or branch</source>
        <translation>承办部门或机构</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="87" />
        <location filename="../../ui/forms/transfer.py" line="92" />
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="90" />
        <source>My open transfer orders</source>
        <translation>我的在办转办单</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="91" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="92" />
        <source>Number</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="92" />
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="92" />
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="93" />
        <location filename="../../ui/forms/transfer.py" line="94" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="93" />
        <source>Due</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="94" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="94" />
        <source>By</source>
        <translation>处理人</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="94" />
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="99" />
        <source>Progress of the selected order</source>
        <translation>所选转办单的处理进度</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="103" />
        <location filename="../../ui/forms/transfer.py" line="190" />
        <source>Send transfer order</source>
        <translation>发送转办单</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="111" />
        <source>Load service categories</source>
        <translation>读取服务分类</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="113" />
        <source>Load departments</source>
        <translation>读取部门</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="128" />
        <source>the verified caller</source>
        <translation>已核实身份的来电人</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="129" />
        <source>none verified (the order is raised without a customer)</source>
        <translation>未核实客户（转办单不关联客户）</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="157" />
        <source>Look up routing</source>
        <translation>查询路由</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="168" />
        <source>Routing table: %1 (choose another above to override)</source>
        <translation>路由表：%1（可在上方改选）</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="171" />
        <source>No department is routed for this category: choose one.</source>
        <translation>该分类没有路由部门，请选择。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="179" />
        <source>Due by %1 (%2 h)</source>
        <translation>时限 %1（%2 小时）</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="195" />
        <source>Transfer order %1 sent to %2, due %3.</source>
        <translation>转办单 %1 已发送至%2，时限 %3。</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="202" />
        <source>Load my transfer orders</source>
        <translation>读取我的转办单</translation>
    </message>
    <message>
        <location filename="../../ui/forms/transfer.py" line="223" />
        <source>Load order progress</source>
        <translation>读取处理进度</translation>
    </message>
</context>
<context>
    <name>VehicleRow</name>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="70" />
        <source>Plate, e.g. 粤B12345</source>
        <translation>车牌，如 粤B12345</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="72" />
        <source>VIN (17 characters)</source>
        <translation>车架号（17位）</translation>
    </message>
    <message>
        <location filename="../../ui/forms/claim_rows.py" line="74" />
        <source>Insured vehicle</source>
        <translation>标的车</translation>
    </message>
</context>
<context>
    <name>Wallboard</name>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="33" />
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="33" />
        <source>Extension</source>
        <translation>分机</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="34" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="34" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="35" />
        <source>Time in state</source>
        <translation>状态时长</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="35" />
        <source>Call</source>
        <translation>通话时长</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="36" />
        <source>Call queue</source>
        <translation>来电队列</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="36" />
        <source>Handled today</source>
        <translation>今日接听</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="37" />
        <source>Average handle</source>
        <translation>平均处理时长</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="40" />
        <source>Signed out</source>
        <translation>已签出</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="40" />
        <source>Ready</source>
        <translation>示闲</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="41" />
        <source>Not ready</source>
        <translation>示忙</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="41" />
        <source>Ringing</source>
        <translation>振铃</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="42" />
        <source>Talking</source>
        <translation>通话中</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="42" />
        <source>On hold</source>
        <translation>保持中</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="43" />
        <source>Wrap-up</source>
        <translation>话后整理</translation>
    </message>
    <message>
        <location filename="../../ui/lead/wallboard.py" line="44" />
        <source>Phone unavailable</source>
        <translation>话机不可用</translation>
    </message>
</context>
<context>
    <name>WrapUpPage</name>
    <message>
        <location filename="../../ui/forms/wrapup.py" line="37" />
        <source>Wrap-up of this call</source>
        <translation>本次通话小结</translation>
    </message>
    <message>
        <location filename="../../ui/forms/wrapup.py" line="40" />
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../ui/forms/wrapup.py" line="41" />
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../ui/forms/wrapup.py" line="55" />
        <source>Service category</source>
        <translation>服务分类</translation>
    </message>
    <message>
        <location filename="../../ui/forms/wrapup.py" line="56" />
        <source>Resolved on this contact</source>
        <translation>首次联络解决</translation>
    </message>
    <message>
        <location filename="../../ui/forms/wrapup.py" line="57" />
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../ui/forms/wrapup.py" line="59" />
        <location filename="../../ui/forms/wrapup.py" line="91" />
        <source>Save wrap-up</source>
        <translation>保存小结</translation>
    </message>
    <message>
        <location filename="../../ui/forms/wrapup.py" line="73" />
        <source>Wrap-up of the call that ended: %1</source>
        <translation>已结束通话的小结：%1</translation>
    </message>
    <message>
        <source>(withheld)</source>
        <translation type="vanished">（未显示号码）</translation>
    </message>
    <message>
        <location filename="../../ui/forms/wrapup.py" line="77" />
        <source>Load service categories</source>
        <translation>读取服务分类</translation>
    </message>
    <message>
        <location filename="../../ui/forms/wrapup.py" line="100" />
        <source>Wrap-up saved.</source>
        <translation>小结已保存。</translation>
    </message>
</context>
<context>
    <name>self.signin</name>
    <message>
        <location filename="../../ui/shell.py" line="140" />
        <source>Credential needed</source>
        <translation>需要凭据</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="141" />
        <source>This desk has no keyring. Enter the %1:</source>
        <translation>本机没有可用的密钥环，请输入%1：</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="270" />
        <source>An administrator disabled your account; this desk signed out.</source>
        <translation>管理员已停用您的账号，本席已签出。</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="289" />
        <source>Your team lead %1 signed you out at %2. Sign in again when you are back.</source>
        <translation>组长 %1 于 %2 将您签出。回到座席后请重新签入。</translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <location filename="../../ui/shell.py" line="309" />
        <source>The centre's settings were updated.</source>
        <translation>中心配置已更新。</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="316" />
        <source>The centre's new settings are invalid; keeping the current ones: </source>
        <translation>中心的新配置无效，继续使用当前配置：</translation>
    </message>
</context>
</TS>