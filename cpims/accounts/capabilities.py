"""The named permissions a role can hold. Code checks these names; roles are data."""

from django.utils.translation import gettext_lazy as _

CAPABILITIES: dict[str, str] = {
    "admin.users": _("Manage users, agencies and roles"),
    "admin.jobs": _("See and retry background jobs"),
    "geo.manage": _("Manage the location tree"),
    "audit.view": _("Search the audit log"),
    "registry.view": _("See persons in the registry"),
    "registry.edit": _("Register and edit persons"),
    "registry.merge": _("Merge duplicate persons"),
    "registry.import": _("Import persons from files"),
    "helpline.contact": _("Record helpline contacts"),
    "helpline.supervise": _("Supervise the helpline"),
    "helpline.taxonomy": _("Maintain the helpline contact categories"),
    "cases.view": _("See cases of their team, assigned to them or created by their agency"),
    "cases.view_area": _("See every case in their location scope"),
    "cases.edit": _("Work on cases"),
    "cases.approve": _("Approve case plans, closures and transfers"),
    "sensitive.sexual_violence": _("See sexual-violence details on cases"),
    "sensitive.medical": _("See medical information on cases"),
    "sensitive.perpetrator": _("See alleged perpetrator information"),
    "justice.view": _("See the justice section of cases (police, court, interviews)"),
    "workforce.manage": _("Manage the staff registry, training and supervision in their scope"),
    "referrals.receive": _("Receive referrals addressed to the agency"),
    "reports.aggregate": _("See aggregate indicators (no personal data)"),
    "reports.personal": _("See reports and lists with personal data"),
    "exports.personal": _("Export personal data"),
    "finance.view": _("See budgets and costs"),
    "finance.edit": _("Enter budgets, unit costs and scenarios"),
}

# Roles whose users must use two-factor authentication (CPIMS_2FA_REQUIRED turns it on).
ROLES_REQUIRING_2FA = {
    "sysadmin",
    "helpline_supervisor",
    "cp_officer",
    "finance_officer",
    "auditor",
}

# Default roles: code -> (Mongolian name, English name, capabilities).
DEFAULT_ROLES: dict[str, tuple[str, str, list[str]]] = {
    "sysadmin": (
        "Системийн администратор",
        "System administrator",
        ["admin.users", "admin.jobs", "geo.manage", "registry.import"],
    ),
    "counsellor": (
        "Тусламжийн утасны зөвлөх",
        "Helpline counsellor",
        ["helpline.contact", "registry.view", "registry.edit"],
    ),
    "helpline_supervisor": (
        "Тусламжийн утасны ахлах",
        "Helpline supervisor",
        [
            "helpline.contact",
            "helpline.supervise",
            "helpline.taxonomy",
            "registry.view",
            "registry.edit",
            "cases.view",
            "reports.personal",
        ],
    ),
    "social_worker": (
        "Нийгмийн ажилтан",
        "Social worker (case worker)",
        [
            "cases.view",
            "cases.edit",
            "registry.view",
            "registry.edit",
            "sensitive.sexual_violence",
            "sensitive.medical",
            "sensitive.perpetrator",
            "justice.view",
        ],
    ),
    "mdt_member": ("Хамтарсан багийн гишүүн", "MDT member", ["cases.view", "registry.view"]),
    "cp_officer": (
        "Хүүхэд хамгааллын мэргэжилтэн",
        "Child protection officer (aimag/district)",
        [
            "cases.view",
            "cases.view_area",
            "cases.edit",
            "cases.approve",
            "registry.view",
            "registry.edit",
            "registry.merge",
            "registry.import",
            "sensitive.sexual_violence",
            "sensitive.medical",
            "sensitive.perpetrator",
            "justice.view",
            "workforce.manage",
            "reports.personal",
            "reports.aggregate",
            "exports.personal",
        ],
    ),
    "service_provider": ("Үйлчилгээ үзүүлэгч", "Service provider", ["referrals.receive"]),
    "national_analyst": (
        "Үндэсний шинжээч",
        "National analyst",
        ["reports.aggregate", "finance.view"],
    ),
    "finance_officer": (
        "Санхүүгийн ажилтан",
        "Finance officer",
        ["finance.view", "finance.edit", "reports.aggregate"],
    ),
    "auditor": ("Аудитор", "Auditor", ["audit.view"]),
}
