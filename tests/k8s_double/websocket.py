"""The server side of a WebSocket (RFC 6455), as `kubectl exec` uses it.

kubectl 1.30 and later open exec streams as a WebSocket with the
`v5.channel.k8s.io` subprotocol: every message is binary, its first byte the
stream (0 stdin, 1 stdout, 2 stderr, 3 the error stream carrying a
`metav1.Status`, 4 terminal resize, 255 "close stream N"). The server writes
the command's output, the Status, and closes normally (code 1000); kubectl
reads every stream to its end and exits with the command's exit code.

Only what that needs is here: the handshake, unfragmented frames both ways
(fragments are reassembled), masking of client frames, ping/pong and close.
"""

import base64
import hashlib
import struct
import threading

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
PROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io")
STDIN, STDOUT, STDERR, ERROR, RESIZE, CLOSE_STREAM = 0, 1, 2, 3, 4, 255


def accept_key(key):
    return base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()


def choose_protocol(header):
    """The subprotocol to answer with, from the client's offer (or None)."""
    offered = [p.strip() for p in (header or "").split(",") if p.strip()]
    for p in PROTOCOLS:
        if p in offered:
            return p
    return None


def encode_frame(opcode, payload=b"", mask=None):
    """One final frame; servers send unmasked ones (mask=None)."""
    head = bytes([0x80 | opcode])
    n = len(payload)
    bit = 0x80 if mask else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 1 << 16:
        head += bytes([bit | 126]) + struct.pack(">H", n)
    else:
        head += bytes([bit | 127]) + struct.pack(">Q", n)
    if mask:
        head += mask
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return head + payload


def read_exact(stream, n):
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            raise EOFError("the connection closed")
        data += chunk
    return data


def read_frame(stream):
    """(fin, opcode, payload) of the next frame, unmasked."""
    b0, b1 = read_exact(stream, 2)
    fin, opcode = bool(b0 & 0x80), b0 & 0x0F
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack(">H", read_exact(stream, 2))[0]
    elif n == 127:
        n = struct.unpack(">Q", read_exact(stream, 8))[0]
    mask = read_exact(stream, 4) if b1 & 0x80 else None
    payload = read_exact(stream, n)
    if mask:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return fin, opcode, payload


class ChannelConnection:
    """A k8s channel WebSocket after the handshake: send on a stream, and a
    reader thread that answers pings, collects stdin and notices the client
    leaving."""

    def __init__(self, rfile, wfile):
        self.rfile, self.wfile = rfile, wfile
        self.lock = threading.Lock()
        self.stdin = b""
        self.gone = threading.Event()
        threading.Thread(target=self.read_loop, daemon=True).start()

    def send_raw(self, frame):
        with self.lock:
            try:
                self.wfile.write(frame)
                self.wfile.flush()
            except OSError:
                self.gone.set()

    def send(self, stream, data):
        if data:
            self.send_raw(encode_frame(OP_BINARY, bytes([stream]) + data))

    def close(self, code=1000):
        self.send_raw(encode_frame(OP_CLOSE, struct.pack(">H", code)))

    def read_loop(self):
        message = b""
        try:
            while True:
                fin, opcode, payload = read_frame(self.rfile)
                if opcode == OP_PING:
                    self.send_raw(encode_frame(OP_PONG, payload))
                elif opcode == OP_CLOSE:
                    break
                elif opcode in (OP_BINARY, OP_TEXT, OP_CONT):
                    message += payload
                    if fin:
                        if message[:1] == bytes([STDIN]):
                            self.stdin += message[1:]
                        message = b""
        except (EOFError, OSError, ValueError):
            pass
        self.gone.set()
