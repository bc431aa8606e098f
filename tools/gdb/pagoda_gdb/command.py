"""The shape shared by the helpers' gdb commands.

A table command takes no argument and prints text that must equal the
kernel's own table byte for byte; it is a function from nothing to a
string, and this class turns such a function into a gdb command. Errors
the helpers raise as gdb.GdbError reach the user as one line, without a
Python traceback.
"""

import gdb


class TableCommand(gdb.Command):
    """Base of the commands that print one table. Subclasses set `name`
    and define text()."""

    name = None

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if arg.strip():
            raise gdb.GdbError("%s takes no argument" % self.name)
        gdb.write(self.text())

    def text(self):
        raise NotImplementedError
