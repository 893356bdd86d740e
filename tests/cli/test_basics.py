"""The CLI contract: one JSON document with --json, exit 1 + one line for bad data, 2 for usage."""


def test_info_prints_one_json_document_with_counts(cli):
    result = cli("info", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["schema"] and data["counts"]["requests"] == 0
    assert "password" not in data["database"]


def test_request_new_then_show_round_trips(cli):
    assert cli("agent", "add", "ann", "--name", "Ann", "--password-stdin", input="longenough\n").exit_code == 0
    opened = cli("request", "new", "--agent", "ann", "--channel", "email", "--subject", "Bins",
                 "--customer-phone", "+48 22 123 45 67", "--json")
    assert opened.exit_code == 0, opened.stderr
    number = opened.json()["number"]
    shown = cli("request", "show", str(number), "--json").json()
    assert shown["channel"] == "email" and shown["assigned_agent"] == "ann"
    assert shown["customer"]["phones"] == ["+48221234567"]
    assert shown["audit"][0]["action"] == "open"


def test_bad_data_exits_1_with_one_line_naming_the_problem(cli):
    result = cli("request", "new", "--channel", "pigeon")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "channel" in result.stderr and "pigeon" in result.stderr
    assert cli("info", "--json").json()["counts"]["requests"] == 0


def test_an_unknown_agent_is_a_data_error(cli):
    result = cli("request", "new", "--agent", "nobody")
    assert result.exit_code == 1 and "nobody" in result.stderr


def test_usage_errors_exit_2(cli):
    assert cli("request", "show", "not-a-number").exit_code == 2
    assert cli("request", "frobnicate").exit_code == 2


def test_a_short_password_is_refused(cli):
    result = cli("agent", "add", "bob", "--name", "Bob", "--password-stdin", input="short\n")
    assert result.exit_code == 1 and "password" in result.stderr
    assert cli("agent", "list", "--json").json() == []


def test_the_real_process_follows_the_same_contract(cli_process):
    ok = cli_process("request", "new", "--json")
    assert ok.exit_code == 0 and ok.json()["number"] >= 1
    bad = cli_process("request", "show", "424242")
    assert bad.exit_code == 1 and bad.stderr.startswith("error: ") and "Traceback" not in bad.stderr
