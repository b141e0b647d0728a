#!/usr/bin/env python3
"""Runs a command with its stdin, stdout and stderr on a new pseudo-terminal
of 100 columns and writes everything the terminal received to OUTFILE, byte
for byte; exits with the command's exit status (128 + N for signal N).

    run_in_pty.py OUTFILE CMD [ARG...]

Redirect the command's stdout inside CMD (sh -c '... > file') to keep its
output apart from stderr."""
import errno
import fcntl
import os
import struct
import subprocess
import sys
import termios


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out_path, command = sys.argv[1], sys.argv[2:]
    master, slave = os.openpty()
    # rows, columns: a known width, so lines are cut the same everywhere.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    # No CR/LF translation: the bytes read are the bytes written.
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    received = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError as e:
            if e.errno == errno.EIO:  # every writer has closed the terminal
                break
            raise
        if not chunk:
            break
        received += chunk
    os.close(master)
    status = proc.wait()
    with open(out_path, "wb") as out:
        out.write(received)
    return status if status >= 0 else 128 - status


if __name__ == "__main__":
    sys.exit(main())
