"""Page objects of the portal's Web Service channel registration.

They find things as a person does (roles, labels, legends, headings, visible text in the
page's language from ``contract.words``), so the same objects drive the bundled mock in either
skin and any portal that follows docs/contract.md. See docs/page-objects.md.

Modules, imports pointing one way: ``locate`` (how words are matched), ``regions`` (the parts
screens share), ``screens`` (one class per screen), ``flows`` (whole walks), ``tour`` (every
screen once, in order: the one list of screens).
"""

from pages.flows import register_web_service
from pages.regions import ChannelFields, ErrorSummary, Header, QualityBanner, SideNavigation, StepList, Summary
from pages.screens import (
    AccessRefusedPage,
    ChannelConfirmationPage,
    ChannelPage,
    ChannelScreen,
    ChannelStep,
    ConfirmationStep,
    ContactLike,
    ContactPersonPage,
    ContactStep,
    DeletionPage,
    HomePage,
    InformationStep,
    LaterStep,
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
    "ChannelScreen",
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
    "LaterStep",
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
