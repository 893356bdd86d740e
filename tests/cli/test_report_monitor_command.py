"""`callcenter monitor` refuses who may not act from the board before it opens."""


def test_monitor_as_an_unknown_login_is_a_data_error(cli):
    result = cli("monitor", "--as", "nobody")
    assert result.exit_code == 1 and "--as" in result.stderr and "nobody" in result.stderr


def test_monitor_as_an_agent_is_refused(cli):
    assert cli("agent", "add", "ann", "--name", "Ann", "--role", "agent").exit_code == 0
    result = cli("monitor", "--as", "ann")
    assert result.exit_code == 1 and "not a supervisor" in result.stderr


def test_a_refresh_faster_than_once_a_second_is_a_usage_error(cli):
    assert cli("monitor", "--refresh", "0.2").exit_code == 2
