"""The rule pack: one module per rule.

``ALL_RULES`` are the config rules the engine runs on every audit, in id order;
``WIRE_RULES`` judge what `probe` saw on the wire (and, with `scan --probe`,
hold it against the config). ``REGISTRY`` is both: what `rules`, `explain`,
the docs and SARIF list.
"""

from rules.lin001_aux_exec_enabled import AuxExecEnabled
from rules.lin002_console_no_auth import ConsoleNoAuth
from rules.net001_telnet_port_open import TelnetPortOpen
from rules.net002_sshv1_advertised import Sshv1Advertised
from rules.net003_ssh_unreachable import SshUnreachable
from rules.net004_config_wire_mismatch import ConfigWireMismatch
from rules.pwd001_plaintext_line_password import PlaintextLinePassword
from rules.pwd002_reversible_line_password import ReversibleLinePassword
from rules.pwd003_enable_password import EnablePassword
from rules.pwd004_username_password import UsernamePassword
from rules.pwd005_weak_secret_hash import WeakSecretHash
from rules.pwd006_no_password_encryption import NoPasswordEncryption
from rules.pwd007_masked_credential import MaskedCredential
from rules.pwd008_cleartext_secret_in_config import CleartextSecretInConfig
from rules.pwd009_user_without_password import UserWithoutPassword
from rules.vty001_telnet_allowed import TelnetAllowed
from rules.vty002_transport_input_implicit import TransportInputImplicit
from rules.vty003_no_access_class import NoAccessClass
from rules.vty004_access_class_undefined import AccessClassUndefined
from rules.vty005_access_class_permits_any import AccessClassPermitsAny
from rules.vty006_no_login import NoLogin
from rules.vty007_exec_timeout import ExecTimeout
from rules.vty008_auto_privilege_15 import AutoPrivilege15
from rules.vty009_no_ipv6_access_class import NoIpv6AccessClass
from rules.vty010_ssh_version_1_allowed import SshVersion1Allowed
from rules.vty011_login_method_undefined import LoginMethodUndefined
from rules.vty012_login_method_none import LoginMethodNone
from rules.vty013_login_local_without_users import LoginLocalWithoutUsers
from rules.vty014_no_login_block import NoLoginBlock
from rules.vty015_session_limit import SessionLimit
from rules.vty016_refused_command import RefusedCommand
from rules.vty017_no_remote_cli import NoRemoteCli
from rules.vty018_ssh_without_authentication import SshWithoutAuthentication

ALL_RULES = (
    TelnetAllowed,
    TransportInputImplicit,
    NoAccessClass,
    AccessClassUndefined,
    AccessClassPermitsAny,
    NoLogin,
    ExecTimeout,
    AutoPrivilege15,
    NoIpv6AccessClass,
    SshVersion1Allowed,
    LoginMethodUndefined,
    LoginMethodNone,
    LoginLocalWithoutUsers,
    NoLoginBlock,
    SessionLimit,
    RefusedCommand,
    NoRemoteCli,
    SshWithoutAuthentication,
    AuxExecEnabled,
    ConsoleNoAuth,
    PlaintextLinePassword,
    ReversibleLinePassword,
    EnablePassword,
    UsernamePassword,
    WeakSecretHash,
    NoPasswordEncryption,
    MaskedCredential,
    CleartextSecretInConfig,
    UserWithoutPassword,
)

WIRE_RULES = (TelnetPortOpen, Sshv1Advertised, SshUnreachable, ConfigWireMismatch)

REGISTRY = ALL_RULES + WIRE_RULES


def rule_by_id(rule_id: str):
    for rule in REGISTRY:
        if rule.meta.id == rule_id.upper():
            return rule
    return None
