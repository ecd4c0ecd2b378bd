"""PWD009: a `nopassword` user counts only where a line logs in against the local database."""

from auditor.engine import audit

BASE = "version 15.2\nhostname r\nusername helpdesk privilege 5 nopassword\nip ssh version 2\n"


def _pwd009(text: str):
    return [f for f in audit(text.encode()).findings if f.rule_id == "PWD009"]


def test_local_login_lets_the_user_in():
    found = _pwd009(BASE + "line vty 0 4\n login local\n transport input ssh\nend\n")
    assert [(f.severity.value, f.section, f.line) for f in found] == [("high", "username helpdesk", 3)]


def test_an_aaa_list_with_the_local_method_and_the_default_local_database():
    aaa = BASE + "aaa new-model\naaa authentication login VTY group tacacs+ local\nline vty 0 4\n login authentication VTY\n transport input ssh\nend\n"
    assert _pwd009(aaa)
    no_default = BASE + "aaa new-model\nline vty 0 4\n transport input ssh\nend\n"  # no default list: VTY lines use local users
    assert _pwd009(no_default)
    servers_only = BASE + "aaa new-model\naaa authentication login default group tacacs+\nline vty 0 4\n transport input ssh\nend\n"
    assert not _pwd009(servers_only)


def test_no_line_checks_local_users_or_the_user_got_a_secret_later():
    assert not _pwd009(BASE + "line vty 0 4\n password 7 0822455D0A16\n login\n transport input ssh\nend\n")
    later = BASE.replace("\nip ssh", "\nusername helpdesk privilege 5 secret 9 $9$x\nip ssh") + "line vty 0 4\n login local\nend\n"
    assert not _pwd009(later)
    closed = BASE + "line vty 0 15\n login local\n transport input none\nline aux 0\n login local\n no exec\nend\n"
    assert not _pwd009(closed)


def test_an_aux_modem_dial_in_keeps_its_exec_and_must_authenticate():
    from auditor.findings import Applicability

    base = "version 15.2\nhostname r\nusername a privilege 15 secret 9 $9$x\nline aux 0\n modem InOut\n"
    open_dial_in = audit((base + " transport input none\nline vty 0 4\n login local\n transport input ssh\nend\n").encode())
    found = [f for f in open_dial_in.findings if f.rule_id == "LIN001"]
    assert len(found) == 1 and "no authentication" in found[0].message
    assert " login local" in found[0].remediation.config and "no exec" not in found[0].remediation.config
    guarded = base + " login local\n transport input none\nline vty 0 4\n login local\n transport input ssh\nend\n"
    assert not [f for f in audit(guarded.encode()).findings if f.rule_id == "LIN001"]
    plain = "version 15.2\nhostname r\nline aux 0\n transport input all\nend\n"  # no modem: EXEC goes
    lin001 = next(f for f in audit(plain.encode()).findings if f.rule_id == "LIN001")
    assert "no exec" in lin001.remediation.config and lin001.remediation.applicability is Applicability.SAFE


def test_aaa_lists_imply_aaa_where_the_text_omits_aaa_new_model():
    """`show sdwan running-config` omits `aaa new-model`; `aaa authentication login` cannot exist
    without it, so the console's default list applies (no false LIN002)."""
    body = "hostname e\naaa authentication login default local\nusername a privilege 15 secret 9 $9$x\nline con 0\nline vty 0 4\n transport input ssh\nend\n"
    assert "LIN002" not in {f.rule_id for f in audit(("version 17.9\n" + body).encode()).findings}
    explicit_off = "version 17.9\nno aaa new-model\n" + body
    assert "LIN002" in {f.rule_id for f in audit(explicit_off.encode()).findings}
