"""The Chinese words printed on forms. Printouts are filed by a Chinese office, so they speak Chinese
whatever language the screen uses; the wording follows the regulations in shared/seeds."""

from __future__ import annotations

from desktop.domain.complaints import Bearer, Channel, ComplaintClass, CostKind, RecourseRoute, ResponseType, Status

CHANNEL = {Channel.HOTLINE: "电话", Channel.VISIT: "来访", Channel.LETTER: "信函", Channel.EMAIL: "电子邮件",
           Channel.ONLINE: "网络"}
CLASS = {ComplaintClass.QUALITY: "产品质量问题", ComplaintClass.NON_QUALITY: "非质量原因",
         ComplaintClass.CONSULTATION: "咨询"}
STATUS = {
    Status.REGISTERED: "已登记", Status.ACKNOWLEDGED: "已确认", Status.ASSESSED: "已评估", Status.INVESTIGATING: "调查中",
    Status.DECIDED: "方案已定", Status.COMMUNICATED: "方案已告知", Status.REJECTED: "客户不接受",
    Status.EXECUTING: "执行中", Status.CLOSED_RESOLVED: "已结案（已解决）", Status.CLOSED_UNRESOLVED: "已结案（未解决）",
    Status.NOT_ACCEPTED: "不受理", Status.WITHDRAWN: "已撤诉", Status.DUPLICATE: "重复登记",
}
RESPONSE = {
    ResponseType.REPAIR: "维修", ResponseType.REPLACE_PART: "更换零部件", ResponseType.EXCHANGE: "换货",
    ResponseType.REFUND: "退货退款", ResponseType.COMPENSATION: "赔偿", ResponseType.TECHNICAL_SUPPORT: "技术支持",
    ResponseType.EXPLANATION: "解释说明", ResponseType.TRAINING: "培训指导", ResponseType.APOLOGY: "道歉",
}
RECOURSE = {
    RecourseRoute.NEGOTIATION: "协商", RecourseRoute.CONSUMER_ASSOCIATION: "消协调解",
    RecourseRoute.ADMINISTRATIVE: "行政投诉", RecourseRoute.ARBITRATION: "仲裁", RecourseRoute.LITIGATION: "诉讼",
}
COST_KIND = {
    CostKind.TRAVEL: "差旅费", CostKind.LODGING: "住宿费", CostKind.ALLOWANCE: "补助费", CostKind.REPAIR: "维修费",
    CostKind.PARTS: "配件费", CostKind.TRANSPORT: "运输费", CostKind.PACKAGING: "包装费", CostKind.COMPENSATION: "赔偿费",
}
BEARER = {Bearer.BRANCH: "销售分公司", Bearer.COMPANY: "公司", Bearer.MANUFACTURING: "计入制造成本",
          Bearer.CUSTOMER: "客户承担"}
SEVERITY = {1: "1 轻微", 2: "2 一般", 3: "3 严重", 4: "4 重大"}
