"""Adding a customer during a call: bad phones and e-mails get an inline message, never a crash."""

from screens.customer_form import CustomerForm, split_list
from tests.screens.conftest import SIZE, new_call, request_row, saved, sign_in, wait_for


def test_several_phones_or_emails_are_typed_in_one_box():
    assert split_list(" 601 234 567, 22 111 22 33 ;; ") == ["601 234 567", "22 111 22 33"]


async def test_a_new_customer_is_checked_inline_then_saved_and_chosen(make_app, sqlite_engine):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        number = await new_call(pilot)
        await pilot.press("f8", "ctrl+f", *"601 999 888")
        await pilot.pause(0.5)
        app.screen.query_one("#customer-new").press()
        await wait_for(pilot, lambda: isinstance(app.screen, CustomerForm))
        form = app.screen
        assert form.query_one("#customer-phones").value == "601 999 888"  # what was searched
        form.query_one("#customer-name").value = "Anna Kowalska"
        form.query_one("#customer-emails").value = "anna@"
        await pilot.press("ctrl+s")
        error = form.query_one("#customer-emails-error")
        await wait_for(pilot, lambda: "is not an e-mail address" in str(error.content))
        assert app.screen is form and app.focused is form.query_one("#customer-emails")
        form.query_one("#customer-emails").value = "anna@example.com"
        form.query_one("#customer-phones").value = "12"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "wrong number of digits" in str(
            form.query_one("#customer-phones-error").content))
        form.query_one("#customer-phones").value = "601 999 888"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not form)
        await saved(pilot)
        chosen = str(app.screen.query_one("#customer-chosen").content)
        assert "Anna Kowalska" in chosen and "+48 601 999 888" in chosen
    assert request_row(sqlite_engine, number).customer_id is not None
