"""Page objects of the portal's Web Service channel registration.

They find things as a person does — roles, labels, legends, headings, visible text in the
page's language (``contract.words``) — so the same objects drive the bundled mock and any
portal that follows the portal contract (``docs/contract.md``). See ``docs/page-objects.md``.
"""
from pages.access import AccessRefusedPage
from pages.base import PortalScreen, Screen, UnexpectedScreen
from pages.configuration import ChannelPage, ContactPersonPage, DeletionPage, OverviewPage
from pages.home import HomePage
from pages.locate import exact_label, normalize_label
from pages.login import LoginPage
from pages.person import ContactLike, ContactPerson
from pages.regions import ChannelFields, ErrorSummary, Header, QualityBanner, SideNavigation, StepList, Summary
from pages.wizard import ChannelStep, ConfirmationStep, ContactStep, InformationStep

__all__ = [
    "AccessRefusedPage", "ChannelFields", "ChannelPage", "ChannelStep", "ConfirmationStep",
    "ContactLike", "ContactPerson", "ContactPersonPage", "ContactStep", "DeletionPage",
    "ErrorSummary", "Header", "HomePage", "InformationStep", "LoginPage", "OverviewPage",
    "PortalScreen", "QualityBanner", "Screen", "SideNavigation", "StepList", "Summary",
    "UnexpectedScreen", "exact_label", "normalize_label",
]
