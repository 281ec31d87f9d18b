"""The options `gscontract contract` and `gscontract run` share, and how they merge with the configuration."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from gscontract.cli._contract_options import (
    ContractArgs,
    build_contract_options,
    contract_target_options,
    redactor_for,
)
from gscontract.cli.contract import contract
from gscontract.cli.run import run
from gscontract.config import Config

KEY = "k-0123456789abcdef"


def _parse(*argv: str, env: dict[str, str] | None = None) -> ContractArgs:
    seen: list[ContractArgs] = []

    @click.command()
    @contract_target_options
    @click.option("--other", default="x")
    def command(shared: ContractArgs, other: str) -> None:
        assert other == "x"
        seen.append(shared)

    result = CliRunner().invoke(command, list(argv), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return seen[0]


def test_nothing_given_leaves_every_choice_to_the_configuration() -> None:
    shared = _parse(env={"GAINSIGHT_ACCESS_KEY": "", "GAINSIGHT_SHARED_SECRET": ""})
    assert shared == ContractArgs(None, None, None, None, None, None, None, None, (), (), None, None)
    config = Config(base_url="https://t.example", allow_writes=True, max_requests=9, profile="legacy")
    options = build_contract_options(shared, config)
    assert (options.base_url, options.access_key, options.allow_writes) == ("https://t.example", None, True)
    assert (options.max_requests, options.profile, options.max_examples, options.seed) == (9, "legacy", None, None)
    assert (options.request_timeout, options.max_duration) == (30.0, 600.0)
    timed = build_contract_options(shared, Config(request_timeout=5, max_duration=90))
    assert (timed.request_timeout, timed.max_duration) == (5.0, 90.0)


def test_options_given_win_over_the_configuration_and_redactions_add_up() -> None:
    shared = _parse(
        "--base-url=https://cli.example",
        "--allow-writes",
        "--max-examples=3",
        "--max-requests=40",
        "--seed=7",
        "--profile=current",
        "--redact-header=X-Cli",
        "--redact-field=cliField",
        "--request-timeout=2.5",
        "--max-duration=45",
        env={"GAINSIGHT_ACCESS_KEY": KEY},
    )
    config = Config(
        base_url="https://cfg.example",
        max_requests=9,
        request_timeout=9,
        max_duration=900,
        profile="legacy",
        redact_headers=("X-Cfg",),
        redact_fields=("cfgField",),
    )
    options = build_contract_options(shared, config)
    assert (options.base_url, options.access_key, options.allow_writes) == ("https://cli.example", KEY, True)
    assert (options.max_examples, options.max_requests, options.seed, options.profile) == (3, 40, 7, "current")
    assert (options.redact_headers, options.redact_fields) == (("X-Cfg", "X-Cli"), ("cfgField", "cliField"))
    assert (options.request_timeout, options.max_duration) == (2.5, 45.0)
    redactor = redactor_for(options)
    text = redactor.text(f'key {KEY}; X-Cli: v1; "cliField": "v2"; "cfgField": "v3"')
    assert KEY not in text
    assert "v1" not in text
    assert "v2" not in text
    assert "v3" not in text


@pytest.mark.parametrize("command", [contract, run], ids=["contract", "run"])
def test_both_commands_offer_the_shared_options(command: click.Command) -> None:
    names = {opt for param in command.params for opt in param.opts}
    shared = {
        "--base-url",
        "--access-key",
        "--allow-writes",
        "--max-examples",
        "--max-requests",
        "--seed",
        "--profile",
        "--redact-header",
        "--redact-field",
        "--request-timeout",
        "--max-duration",
    }
    assert shared <= names


def test_the_shared_secret_comes_from_the_environment_and_is_redacted_like_the_key() -> None:
    secret = "pub-S3cret-From-Env-4c1e"
    shared = _parse(env={"GAINSIGHT_ACCESS_KEY": KEY, "GAINSIGHT_SHARED_SECRET": secret})
    options = build_contract_options(shared, Config())

    assert options.shared_secret == secret
    line = redactor_for(options).text(f"curl -H 'sharedSecret: {secret}' -H 'accesskey: {KEY}' -d '{secret}'")
    assert secret not in line
    assert KEY not in line
