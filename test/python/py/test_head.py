"""The original's Head, with the worked examples of its tests/core/jobs/test_Head.py as vectors."""
import unittest

from fission.core.jobs import Head


class HeadVectors(unittest.TestCase):
    def setUp(self):
        self.h = Head(12, 1)  # 00001100

    def test_indexing_msb_first_and_lsb_first(self):
        self.assertIs(self.h[5], True)
        self.assertIs(self.h[-3], True)
        self.assertIs(self.h[-4], True)
        self.assertIs(self.h[0], False)
        self.assertIs(self.h[-1], False)

    def test_slices_pack_the_selected_bits(self):
        self.assertEqual(self.h[0:7], 6)
        self.assertEqual(self.h[::-1], 48)
        self.assertEqual(self.h[-2:-8:-2], 2)
        self.assertIsInstance(self.h[0:7], Head)
        self.assertEqual(len(self.h[0:7]), 1)

    def test_setting_bits(self):
        self.h[-8] = 1
        self.assertEqual(self.h.head, 140)
        self.h[7] = 1
        self.assertEqual(self.h.head, 141)
        self.h[7] = 0
        self.assertEqual(self.h.head, 140)

    def test_reset_bit_cannot_be_set(self):
        with self.assertRaises(ValueError):
            self.h[1] = 1
        with self.assertRaises(ValueError):
            self.h[-7] = 1
        self.h[1] = 0  # clearing it is allowed
        self.assertEqual(self.h.head, 12)

    def test_out_of_range(self):
        with self.assertRaises(IndexError):
            self.h[8]
        with self.assertRaises(IndexError):
            self.h[-9]
        with self.assertRaises(IndexError):
            self.h[8] = 1

    def test_head_size_grows_and_shrinks_on_the_low_side(self):
        self.h.head_size = 1
        self.assertEqual(self.h.head, 3072)
        self.assertEqual(len(self.h), 2)
        self.h.head_size = 3  # at most 4 bytes in all: refused silently, as in the original
        self.assertEqual(len(self.h), 2)
        self.h.head_size = -1
        self.assertEqual((self.h.head, len(self.h)), (12, 1))
        big = Head(0x1234, 2)
        big.head_size = -5  # at least one byte stays: the high one
        self.assertEqual((big.head, len(big)), (0x12, 1))

    def test_operators_take_ints_and_heads(self):
        self.assertEqual(self.h | 0x20, 0x2C)
        self.assertEqual(self.h & Head(4, 1), 4)
        self.assertEqual(self.h ^ 0x0F, 0x03)
        self.assertEqual(self.h << 1, 24)
        self.assertEqual(self.h >> 2, 3)
        self.assertEqual((self.h << 8).head, 3072)  # shifts do not mask, as in the original
        self.assertEqual((~self.h).head, ~12)
        self.assertEqual(self.h, Head(12, 1))
        with self.assertRaises(TypeError):
            self.h | "x"

    def test_length_str_bytes(self):
        self.assertEqual(len(Head(0, 2)), 2)
        self.assertTrue(Head(0, 1))  # a Head is always truthy (len() is its byte count)
        self.assertEqual(str(self.h), "HEAD: 00001100")
        self.assertEqual(self.h.to_bytes(1, "big"), b"\x0c")
        self.assertEqual(Head(b"\x01\x02", 2).head, 258)

    def test_finish_sets_the_finished_bit_of_the_head_size(self):
        from fission.core.jobs import PythonJob

        class Job(PythonJob):
            def run(self):
                yield 1

        job = Job()
        job.finish()
        self.assertEqual((job.head, job.finished), (0x20, True))
        job = Job()
        job._marvelo_head_size = 2
        job.finish()
        self.assertEqual((job.head.head, len(job.head)), (0x2000, 2))
        job = Job()
        job.head = Head(0x10, 1)
        job.finish()
        self.assertEqual(job.head, 0x30)
        job.head = 0x01
        job.finish()
        self.assertEqual(job.head, 0x21)

    def test_reserved_bits(self):
        h = Head(0x80 | 0x40 | 0x20, 1)
        self.assertEqual((h[0], h[1], h[2], h[3]), (True, True, True, False))


if __name__ == "__main__":
    unittest.main()
