"""The gdb half of the gdb helper test: gdb runs this file (-x) for
tests/gdb/gdbtest.py, which wrote a plan (JSON, its path in the
environment variable PAGODA_GDBTEST_PLAN) and reads the result back.

In order:
  1. load tools/gdb/pagoda.py, connect to QEMU's gdb stub (this stops
     the kernel where it idles at the shell prompt), break on the plan's
     function, print "@@ready" and continue;
  2. the driver, seeing "@@ready", types the shell command that reaches
     the breakpoint; when it hits, record where it stopped and run every
     helper of the plan, each output kept as it would print;
  3. evaluate the plan's expressions (the conversion functions on pages
     the shell allocated earlier);
  4. `finish` the allocator's call, keep the struct page it returned as
     $page, evaluate the plan's after-finish expressions on it;
  5. delete the breakpoint and detach, so the kernel carries on and the
     shell prints what it allocated; write the result file.

A failing step is recorded as text in the result rather than ending the
script, so one broken helper fails one check, not all of them. Nothing
here compares: the driver does.
"""

import json
import os
import traceback

import gdb

plan_path = os.environ["PAGODA_GDBTEST_PLAN"]
with open(plan_path) as f:
    plan = json.load(f)
result = {"commands": {}, "exprs": {}, "after_finish": {}, "errors": []}


def save():
    tmp = plan["out"] + ".tmp"
    with open(tmp, "w") as f:
        json.dump(result, f, indent=1)
    os.replace(tmp, plan["out"])


def run(cmd):
    try:
        return gdb.execute(cmd, to_string=True)
    except gdb.error as e:
        return "ERROR: %s\n" % e


def evaluate(expr):
    """An expression's value as an unsigned int in hex, or "ERROR: ..."."""
    try:
        v = gdb.parse_and_eval(expr)
        return "%#x" % (int(v) & ((1 << (8 * v.type.sizeof)) - 1))
    except gdb.error as e:
        return "ERROR: %s" % e


def say(text):
    gdb.write(text + "\n")
    gdb.flush()


try:
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    gdb.execute("set architecture " + plan["gdb_arch"])
    gdb.execute("source " + plan["helpers"])
    gdb.execute("help pg-buddyinfo", to_string=True)  # loaded, or gdb.error
    gdb.execute("target remote " + plan["socket"])
    bp = gdb.Breakpoint(plan["break"])
    if bp.pending:  # an unknown function: gdb would wait forever
        raise gdb.GdbError("no function %s to break on" % plan["break"])
    say("@@ready")
    gdb.execute("continue")
    frame = gdb.selected_frame()
    older = frame.older()
    result["stop"] = {"function": frame.name(),
                      "caller": older.name() if older else None}
    for key, cmd in plan["commands"]:
        result["commands"][key] = run(cmd)
    for key, expr in plan["exprs"]:
        result["exprs"][key] = evaluate(expr)
    gdb.execute("delete")
    run("finish")
    gdb.execute("set $page = $")
    for key, expr in plan["after_finish"]:
        if expr.startswith("pg-"):
            result["after_finish"][key] = run(expr)
        else:
            result["after_finish"][key] = evaluate(expr)
    gdb.execute("detach")
    say("@@detached")
except Exception:  # anything: the driver reports it
    result["errors"].append(traceback.format_exc())
finally:
    save()
