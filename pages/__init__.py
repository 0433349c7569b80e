"""Page objects of the portal's Web Service channel registration.

They find things as a person does (roles, labels, legends, headings, visible text in the
page's language from ``contract.words``), so the same objects drive the bundled mock in either
skin and any portal that follows docs/contract.md. See docs/page-objects.md.

Modules, imports pointing one way: ``locate`` (how words are matched), ``regions`` (the parts
screens share), ``screens`` (one class per screen), ``flows`` (whole walks).
"""

from pages.flows import register_web_service
from pages.regions import ChannelFields, ErrorSummary, Header, QualityBanner, SideNavigation, StepList, Summary
from pages.screens import (
    AccessRefusedPage,
    ChannelConfirmationPage,
    ChannelPage,
    ChannelStep,
    ConfirmationStep,
    ContactLike,
    ContactPersonPage,
    ContactStep,
    DeletionPage,
    HomePage,
    InformationStep,
    LoginPage,
    OverviewPage,
    PortalScreen,
    Screen,
    UnexpectedScreen,
    WizardStep,
)

__all__ = [
    "AccessRefusedPage",
    "ChannelConfirmationPage",
    "ChannelFields",
    "ChannelPage",
    "ChannelStep",
    "ConfirmationStep",
    "ContactLike",
    "ContactPersonPage",
    "ContactStep",
    "DeletionPage",
    "ErrorSummary",
    "Header",
    "HomePage",
    "InformationStep",
    "LoginPage",
    "OverviewPage",
    "PortalScreen",
    "QualityBanner",
    "Screen",
    "SideNavigation",
    "StepList",
    "Summary",
    "UnexpectedScreen",
    "WizardStep",
    "register_web_service",
]
