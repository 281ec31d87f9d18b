"""``gscontract rules``: list the payload rules, and ``rules explain ID`` to read one."""

from __future__ import annotations

import inspect

import click
import orjson

from ..rules import RULES, get

__all__ = ["rules"]


@click.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def rules(ctx: click.Context, fmt: str) -> None:
    """List every rule: id, name, vendor code, severity and summary."""
    if ctx.invoked_subcommand is not None:
        return
    ordered = sorted(RULES.values(), key=lambda r: r.id)
    if fmt == "json":
        rows = [
            {
                "id": r.id,
                "name": r.name,
                "code": r.code,
                "severity": r.severity.label,
                "kinds": sorted(k.value for k in r.kinds),
                "needs_tenant": r.needs_tenant,
                "summary": r.summary,
            }
            for r in ordered
        ]
        click.echo(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
        return
    for r in ordered:
        tenant = " (tenant only)" if r.needs_tenant else ""
        code = r.code or "-"
        click.echo(f"{r.id}  {r.name:<34} {code:<14} {r.severity.label:<8} {r.summary}{tenant}")


@rules.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Print a rule's documentation: why it matters, a bad example and the fix."""
    found = get(rule_id)
    header = f"{found.id} {found.name}"
    facts = [f"severity: {found.severity.label}", f"vendor code: {found.code or 'none'}"]
    facts.append("kinds: " + ", ".join(sorted(k.value for k in found.kinds)))
    if found.needs_tenant:
        facts.append(
            "needs tenant state: checked by the mock tenant; `gscontract validate` runs it only where the"
            " files of one run can answer (see below)"
        )
    click.echo(f"{header}\n{'=' * len(header)}\n" + "\n".join(facts) + "\n")
    click.echo(inspect.cleandoc(found.doc))
