"""websocket.py: handshake and framing (RFC 6455) for kubectl exec."""

import io
import os
import unittest

import websocket


class Framing(unittest.TestCase):
    def test_accept_key_of_the_rfc_example(self):
        self.assertEqual(websocket.accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")

    def test_frames_round_trip_at_every_length_encoding(self):
        for n in (0, 5, 125, 126, 70000):
            payload = os.urandom(n)
            for mask in (None, b"\x01\x02\x03\x04"):
                frame = websocket.encode_frame(websocket.OP_BINARY, payload, mask)
                fin, opcode, got = websocket.read_frame(io.BytesIO(frame))
                self.assertEqual((fin, opcode, got), (True, websocket.OP_BINARY, payload), (n, mask))

    def test_a_truncated_frame_is_an_end_of_stream(self):
        frame = websocket.encode_frame(websocket.OP_BINARY, b"hello")
        with self.assertRaises(EOFError):
            websocket.read_frame(io.BytesIO(frame[:-1]))

    def test_subprotocol_negotiation(self):
        self.assertEqual(websocket.choose_protocol("v5.channel.k8s.io"), "v5.channel.k8s.io")
        self.assertEqual(websocket.choose_protocol("v4.channel.k8s.io, v5.channel.k8s.io"), "v5.channel.k8s.io")
        self.assertIsNone(websocket.choose_protocol("base64.channel.k8s.io"))
        self.assertIsNone(websocket.choose_protocol(None))


class Connection(unittest.TestCase):
    def test_streams_pings_and_close(self):
        client = b"".join(
            [
                websocket.encode_frame(websocket.OP_PING, b"hb", b"abcd"),
                websocket.encode_frame(websocket.OP_BINARY, b"\x00input", b"wxyz"),
                websocket.encode_frame(websocket.OP_CLOSE, b"\x03\xe8", b"mask"),
            ]
        )
        out = io.BytesIO()
        conn = websocket.ChannelConnection(io.BytesIO(client), out)
        self.assertTrue(conn.gone.wait(5))
        self.assertEqual(conn.stdin, b"input")
        conn.send(websocket.STDOUT, b"hi")
        conn.close()
        frames = io.BytesIO(out.getvalue())
        got = [websocket.read_frame(frames) for _ in range(3)]
        self.assertEqual(got[0], (True, websocket.OP_PONG, b"hb"))
        self.assertEqual(got[1], (True, websocket.OP_BINARY, b"\x01hi"))
        self.assertEqual(got[2], (True, websocket.OP_CLOSE, b"\x03\xe8"))


if __name__ == "__main__":
    unittest.main()
