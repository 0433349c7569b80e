"""The mock's HTTP tests that do not read the default skin's markup, run again on the variant
skin: its shared handlers behave the same behind the other markup. Tests that read ``<dt>``,
``<h1>``, ``<button>``, ids or a button's markup stay on the default skin (they fail on the
variant, as they should); ``test_skin_variant.py`` checks the variant's screens themselves."""

from __future__ import annotations

import io

import pytest

import mockportal
from tests.http.test_http_api import (  # noqa: F401
    test_bad_employer_requests,
    test_bad_session_requests,
    test_new_employer,
    test_new_employers_are_unique_and_named_as_asked,
    test_sessions_sign_in_as_if_by_login,
    test_stored_configuration,
)
from tests.http.test_http_errors import (  # noqa: F401
    test_another_sessions_token_is_wrong,
    test_chunked_bodies_411_and_bad_lengths_400,
    test_head_is_get_without_a_body,
    test_login_needs_the_csrf_token_of_the_visitor_session,
    test_no_500_anywhere,
    test_non_utf8_forms_400,
    test_other_content_types_415_and_unknown_actions_400,
    test_private_key_upload_refused_not_stored_not_logged,
    test_wrong_credentials_give_an_error_summary_without_a_hint,
)
from tests.http.test_http_flow import (  # noqa: F401
    test_a_certificate_of_another_configured_sender,
    test_back_then_resend_after_deletion_creates_nothing,
    test_cancel_at_any_step_discards_the_wizard,
    test_channel_pages_without_configuration_go_home,
    test_language_action_keeps_unsent_entries,
    test_language_action_on_the_channel_step_keeps_the_chosen_file,
    test_language_regime_preselected_to_the_interface,
    test_previous_saves_entries_without_validation,
    test_steps_cannot_be_skipped,
    test_visitors_language_lives_in_a_cookie,
)
from tests.http.test_http_oauth import (  # noqa: F401
    registered,
    test_a_jti_is_single_use,
    test_a_short_token_lifetime,
    test_a_token_and_the_demo_service,
    test_another_clients_certificate_does_not_authenticate,
    test_assertions_and_tokens_are_never_logged,
    test_deletion_disables_the_client_at_once,
    test_errors_are_rfc_6749_json,
    test_the_audience_is_the_printed_url_whatever_the_host_header,
    test_the_demo_service_refuses_missing_forged_and_expired_tokens,
    test_the_token_endpoint_needs_no_session_and_no_csrf_token,
    test_wrong_bodies_methods_and_addresses_answer_json,
)
from tests.http.test_http_security import (  # noqa: F401
    test_cookie_flags,
    test_every_page_but_login_needs_a_session,
    test_language_redirects_stay_on_the_site,
    test_login_gives_a_new_session_id,
    test_quit_ends_the_session,
    test_security_headers_everywhere,
    test_sessions_and_tokens_are_random_and_per_session,
    test_static_files_and_login_need_no_session,
    test_the_co_gestionnaire_may_register,
    test_the_log_has_one_line_per_request_without_bodies_or_cookies,
    test_user_text_is_escaped,
)


@pytest.fixture(scope="module")
def portal():
    """The variant skin, in place of conftest's default-skin portal."""
    stream = io.StringIO()
    with mockportal.start(port=0, log=stream, skin="variant") as running:
        running.log_text = stream.getvalue
        yield running


def test_this_module_runs_on_the_variant_skin(portal):
    assert portal.portal.skin.name == "variant"
