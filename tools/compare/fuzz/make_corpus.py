#!/usr/bin/env python3
"""make_corpus.py — writes the hostile-input corpus for the results reader.

    tools/compare/fuzz/make_corpus.py        (rewrites tools/compare/fuzz/corpus/)

The corpus feeds two things: tests/test_compare_corpus.c runs execbench-compare
on every file and requires exit 0 or 2 with a message each time, and libFuzzer
starts from it (make fuzz). Deterministic (fixed seed), standard library only.

  corpus/json/       a JSON conformance set in the manner of nst/JSONTestSuite
                     (whose test files the project could not fetch): y_ must
                     parse, n_ must not, i_ may go either way; named as there.
  corpus/truncated/  a results document cut at many points.
  corpus/mutated/    a results document with each field replaced by every other
                     JSON type and by extreme values, with fields removed, and
                     with bytes flipped.
  corpus/seeds/      valid documents: execbench points, plain Google Benchmark,
                     aggregates only, an error row, an old document.

Not written here, and left alone: corpus/regressions/ (inputs the fuzzer found
bad, kept once fixed) and corpus/fuzzed/ (what `make fuzz` found that adds
coverage, merged with -merge=1 -max_len=4096).
"""
import json
import os
import random
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")

# ---- a JSON conformance set -------------------------------------------------

Y = {  # must parse
    "array_arraysWithSpaces": b"[[]   ]",
    "array_empty": b"[]",
    "array_empty-string": b'[""]',
    "array_ending_with_newline": b'["a"]\n',
    "array_false": b"[false]",
    "array_heterogeneous": b'[null, 1, "1", {}]',
    "array_null": b"[null]",
    "array_with_1_and_newline": b"[1\n]",
    "array_with_leading_space": b" [1]",
    "array_with_several_null": b"[1,null,null,null,2]",
    "array_with_trailing_space": b"[2] ",
    "number": b"[123e65]",
    "number_0e+1": b"[0e+1]",
    "number_0e1": b"[0e1]",
    "number_after_space": b"[ 4]",
    "number_double_close_to_zero": b"[-0.000000000000000000000000000000000000000000000000000000000000000000000000000001]",
    "number_int_with_exp": b"[20e1]",
    "number_minus_zero": b"[-0]",
    "number_negative_int": b"[-123]",
    "number_negative_one": b"[-1]",
    "number_negative_zero": b"[-0]",
    "number_real_capital_e": b"[1E22]",
    "number_real_capital_e_neg_exp": b"[1E-2]",
    "number_real_capital_e_pos_exp": b"[1E+2]",
    "number_real_exponent": b"[123e45]",
    "number_real_fraction_exponent": b"[123.456e78]",
    "number_real_neg_exp": b"[1e-2]",
    "number_real_pos_exponent": b"[1e+2]",
    "number_simple_int": b"[123]",
    "number_simple_real": b"[123.456789]",
    "object": b'{"asd":"sdf", "dfg":"fgh"}',
    "object_basic": b'{"asd":"sdf"}',
    "object_duplicated_key_and_value": b'{"a":"b","a":"b"}',
    "object_empty": b"{}",
    "object_empty_key": b'{"":0}',
    "object_escaped_null_in_key": b'{"foo\\u0000bar": 42}',
    "object_extreme_numbers": b'{ "min": -1.0e+28, "max": 1.0e+28 }',
    "object_long_strings": b'{"x":[{"id": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}], "id": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}',
    "object_simple": b'{"a":[]}',
    "object_string_unicode": b'{"title":"\\u041f\\u043e\\u043b\\u0442\\u043e\\u0440\\u0430 \\u0417\\u0435\\u043c\\u043b\\u0435\\u043a\\u043e\\u043f\\u0430" }',
    "object_with_newlines": b'{\n"a": "b"\n}',
    "string_1_2_3_bytes_UTF-8_sequences": b'["\\u0060\\u012a\\u12AB"]',
    "string_accepted_surrogate_pair": b'["\\uD801\\udc37"]',
    "string_accepted_surrogate_pairs": b'["\\ud83d\\ude39\\ud83d\\udc8d"]',
    "string_allowed_escapes": b'["\\"\\\\\\/\\b\\f\\n\\r\\t"]',
    "string_backslash_and_u_escaped_zero": b'["\\\\u0000"]',
    "string_backslash_doublequotes": b'["\\""]',
    "string_comments": b'["a/*b*/c/*d//e"]',
    "string_double_escape_a": b'["\\\\a"]',
    "string_double_escape_n": b'["\\\\n"]',
    "string_escaped_control_character": b'["\\u0012"]',
    "string_escaped_noncharacter": b'["\\uFFFF"]',
    "string_in_array": b'["asd"]',
    "string_in_array_with_leading_space": b'[ "asd"]',
    "string_last_surrogates_1_and_2": b'["\\uDBFF\\uDFFF"]',
    "string_nbsp_uescaped": b'["new\\u00A0line"]',
    "string_nonCharacterInUTF-8_U+10FFFF": '["\U0010ffff"]'.encode(),
    "string_nonCharacterInUTF-8_U+FFFF": '["\uffff"]'.encode(),
    "string_null_escape": b'["\\u0000"]',
    "string_one-byte-utf-8": b'["\\u002c"]',
    "string_pi": '["\u03c0"]'.encode(),
    "string_simple_ascii": b'["asd "]',
    "string_space": b'" "',
    "string_three-byte-utf-8": b'["\\u0821"]',
    "string_two-byte-utf-8": b'["\\u0123"]',
    "string_u+2028_line_sep": '["\u2028"]'.encode(),
    "string_u+2029_par_sep": '["\u2029"]'.encode(),
    "string_uEscape": b'["\\u0061\\u30af\\u30EA\\u30b9"]',
    "string_unicode": b'["\\uA66D"]',
    "string_unicode_escaped_double_quote": b'["\\u0022"]',
    "string_utf8": '["\u20ac\U0001d11e"]'.encode(),
    "string_with_del_character": b'["a\x7fa"]',
    "structure_lonely_false": b"false",
    "structure_lonely_int": b"42",
    "structure_lonely_negative_real": b"-0.1",
    "structure_lonely_null": b"null",
    "structure_lonely_string": b'"asd"',
    "structure_lonely_true": b"true",
    "structure_string_empty": b'""',
    "structure_trailing_newline": b'["a"]\n',
    "structure_true_in_array": b"[true]",
    "structure_whitespace_array": b" [] ",
}

N = {  # must not parse
    "array_1_true_without_comma": b"[1 true]",
    "array_a_invalid_utf8": b"[a\xe5]",
    "array_colon_instead_of_comma": b'["": 1]',
    "array_comma_after_close": b'[""],',
    "array_comma_and_number": b"[,1]",
    "array_double_comma": b"[1,,2]",
    "array_double_extra_comma": b'["x",,]',
    "array_extra_close": b'["x"]]',
    "array_extra_comma": b'["",]',
    "array_incomplete": b'["x"',
    "array_incomplete_invalid_value": b"[x",
    "array_inner_array_no_comma": b"[3[4]]",
    "array_invalid_utf8": b"[\xff]",
    "array_items_separated_by_semicolon": b"[1:2]",
    "array_just_comma": b"[,]",
    "array_just_minus": b"[-]",
    "array_missing_value": b'[   , ""]',
    "array_newlines_unclosed": b'["a",\n4\n,1,',
    "array_number_and_comma": b"[1,]",
    "array_number_and_several_commas": b"[1,,]",
    "array_spaces_vertical_tab_formfeed": b'["\x0ba"\\f]',
    "array_star_inside": b"[*]",
    "array_unclosed": b'[""',
    "array_unclosed_trailing_comma": b"[1,",
    "array_unclosed_with_new_lines": b"[1,\n1\n,1",
    "array_unclosed_with_object_inside": b"[{}",
    "incomplete_false": b"[fals]",
    "incomplete_null": b"[nul]",
    "incomplete_true": b"[tru]",
    "multidigit_number_then_00": b"123\x00",
    "number_++": b"[++1234]",
    "number_+1": b"[+1]",
    "number_+Inf": b"[+Inf]",
    "number_-01": b"[-01]",
    "number_-1.0.": b"[-1.0.]",
    "number_-2.": b"[-2.]",
    "number_-NaN": b"[-NaN]",
    "number_.-1": b"[.-1]",
    "number_.2e-3": b"[.2e-3]",
    "number_0.1.2": b"[0.1.2]",
    "number_0.3e+": b"[0.3e+]",
    "number_0.3e": b"[0.3e]",
    "number_0.e1": b"[0.e1]",
    "number_0_capital_E+": b"[0E+]",
    "number_0e": b"[0e]",
    "number_1.0e+": b"[1.0e+]",
    "number_1_000": b"[1 000.0]",
    "number_1eE2": b"[1eE2]",
    "number_2.e+3": b"[2.e+3]",
    "number_9.e+": b"[9.e+]",
    "number_Inf": b"[Inf]",
    "number_NaN": b"[NaN]",
    "number_U+FF11_fullwidth_digit_one": "[\uff11]".encode(),
    "number_expression": b"[1+2]",
    "number_hex_1_digit": b"[0x1]",
    "number_hex_2_digits": b"[0x42]",
    "number_infinity": b"[Infinity]",
    "number_invalid+-": b"[0e+-1]",
    "number_invalid-negative-real": b"[-123.123foo]",
    "number_minus_infinity": b"[-Infinity]",
    "number_minus_sign_with_trailing_garbage": b"[-foo]",
    "number_neg_int_starting_with_zero": b"[-012]",
    "number_neg_real_without_int_part": b"[-.123]",
    "number_real_garbage_after_e": b"[1ea]",
    "number_starting_with_dot": b"[.123]",
    "number_with_leading_zero": b"[012]",
    "object_bad_value": b'["x", truth]',
    "object_bracket_key": b"{[: \"x\"}\n",
    "object_comma_instead_of_colon": b'{"x", null}',
    "object_double_colon": b'{"x"::"b"}',
    "object_emoji": '{\U0001f1e8\U0001f1ed}'.encode(),
    "object_garbage_at_end": b'{"a":"a" 123}',
    "object_key_with_single_quotes": b"{key: 'value'}",
    "object_missing_colon": b'{"a" b}',
    "object_missing_key": b'{:"b"}',
    "object_missing_semicolon": b'{"a" "b"}',
    "object_missing_value": b'{"a":',
    "object_no-colon": b'{"a"',
    "object_non_string_key": b"{1:1}",
    "object_repeated_null_null": b"{null:null,null:null}",
    "object_several_trailing_commas": b'{"id":0,,,,,}',
    "object_single_quote": b"{'a':0}",
    "object_trailing_comma": b'{"id":0,}',
    "object_trailing_comment": b'{"a":"b"}/**/',
    "object_trailing_comment_slash_open": b'{"a":"b"}//',
    "object_unquoted_key": b'{a: "b"}',
    "object_unterminated-value": b'{"a":"a',
    "object_with_single_string": b'{ "foo" : "bar", "a" }',
    "single_space": b" ",
    "string_1_surrogate_then_escape": b'["\\uD800\\"]',
    "string_accentuated_char_no_quotes": "[\u00e9]".encode(),
    "string_backslash_00": b'["\\\x00"]',
    "string_escape_x": b'["\\x00"]',
    "string_escaped_backslash_bad": b'["\\\\\\"]',
    "string_escaped_ctrl_char_tab": b'["\\\t"]',
    "string_escaped_emoji": '["\\\U0001f300"]'.encode(),
    "string_incomplete_escape": b'["\\"]',
    "string_incomplete_escaped_character": b'["\\u00A"]',
    "string_incomplete_surrogate_escape_invalid": b'["\\uD800\\uD800\\x"]',
    "string_invalid_backslash_esc": b'["\\a"]',
    "string_invalid_unicode_escape": b'["\\uqqqq"]',
    "string_invalid_utf8_after_escape": b'["\\\xe5"]',
    "string_leading_uescaped_thinspace": b'[\\u0020"asd"]',
    "string_no_quotes_with_bad_escape": b"[\\n]",
    "string_single_doublequote": b'"',
    "string_single_quote": b"['single quote']",
    "string_single_string_no_double_quotes": b"abc",
    "string_start_escape_unclosed": b'["\\',
    "string_unescaped_ctrl_char": b'["a\x00a"]',
    "string_unescaped_newline": b'["new\nline"]',
    "string_unescaped_tab": b'["\t"]',
    "string_unicode_CapitalU": b'"\\UA66D"',
    "string_with_trailing_garbage": b'""x',
    "structure_100000_opening_arrays": b"[" * 100000,
    "structure_angle_bracket_.": b"<.>",
    "structure_angle_bracket_null": b"[<null>]",
    "structure_array_trailing_garbage": b"[1]x",
    "structure_array_with_extra_array_close": b"[1]]",
    "structure_array_with_unclosed_string": b'["asd]',
    "structure_ascii-unicode-identifier": "a\u00e5".encode(),
    "structure_capitalized_True": b"[True]",
    "structure_close_unopened_array": b"1]",
    "structure_comma_instead_of_closing_brace": b'{"x": true,',
    "structure_double_array": b"[][]",
    "structure_end_array": b"]",
    "structure_incomplete_UTF8_BOM": b"\xef\xbb{}",
    "structure_lone-invalid-utf-8": b"\xe5",
    "structure_lone-open-bracket": b"[",
    "structure_no_data": b"",
    "structure_null-byte-outside-string": b"[\x00]",
    "structure_number_with_trailing_garbage": b"2@",
    "structure_object_followed_by_closing_object": b"{}}",
    "structure_object_unclosed_no_value": b'{"":',
    "structure_object_with_comment": b'{"a":/*comment*/"b"}',
    "structure_object_with_trailing_garbage": b'{"a": true} "x"',
    "structure_open_array_apostrophe": b"['",
    "structure_open_array_comma": b"[,",
    "structure_open_array_object": b'[{"":' * 5000,
    "structure_open_array_open_object": b"[{",
    "structure_open_array_open_string": b'["a',
    "structure_open_array_string": b'["a"',
    "structure_open_object": b"{",
    "structure_open_object_close_array": b"{]",
    "structure_open_object_comma": b"{,",
    "structure_open_object_open_array": b"{[",
    "structure_open_object_open_string": b'{"a',
    "structure_open_object_string_with_apostrophes": b"{'a'",
    "structure_open_open": b'["\\{["\\{["\\{["\\{',
    "structure_single_eacute": b"\xe9",
    "structure_single_star": b"*",
    "structure_trailing_#": b'{"a":"b"}#{}',
    "structure_U+2060_word_joined": "[\u2060]".encode(),
    "structure_uescaped_LF_before_string": b'[\\u000A""]',
    "structure_unclosed_array": b"[1",
    "structure_unclosed_array_partial_null": b"[ false, nul",
    "structure_unclosed_array_unfinished_false": b"[ true, fals",
    "structure_unclosed_array_unfinished_true": b"[ false, tru",
    "structure_unclosed_object": b'{"asd":"asd"',
    "structure_unicode-identifier": "\u00e5".encode(),
    "structure_whitespace_formfeed": b"[\x0c]",
}

I = {  # implementation-defined
    "number_double_huge_neg_exp": b"[123.456e-789]",
    "number_huge_exp": b"[0.4e00669999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999969999999006]",
    "number_neg_int_huge_exp": b"[-1e+9999]",
    "number_pos_double_huge_exp": b"[1.5e+9999]",
    "number_real_neg_overflow": b"[-123123e100000]",
    "number_real_pos_overflow": b"[123123e100000]",
    "number_real_underflow": b"[123e-10000000]",
    "number_too_big_neg_int": b"[-123123123123123123123123123123]",
    "number_too_big_pos_int": b"[100000000000000000000]",
    "number_very_big_negative_int": b"[-237462374673276894279832749832423479823246327846]",
    "object_key_lone_2nd_surrogate": b'{"\\uDFAA":0}',
    "string_1st_surrogate_but_2nd_missing": b'["\\uDADA"]',
    "string_1st_valid_surrogate_2nd_invalid": b'["\\uD888\\u1234"]',
    "string_UTF-16LE_with_BOM": b'\xff\xfe[\x00"\x00\xe9\x00"\x00]\x00',
    "string_UTF-8_invalid_sequence": b'["\xe6\x97\xa5\xd1\x88\xfa"]',
    "string_UTF8_surrogate_U+D800": b'["\xed\xa0\x80"]',
    "string_incomplete_surrogate_and_escape_valid": b'["\\uD800\\n"]',
    "string_incomplete_surrogate_pair": b'["\\uDd1ea"]',
    "string_incomplete_surrogates_escape_valid": b'["\\uD800\\uD800\\n"]',
    "string_invalid_lonely_surrogate": b'["\\ud800"]',
    "string_invalid_surrogate": b'["\\ud800abc"]',
    "string_invalid_utf-8": b'["\xff"]',
    "string_inverted_surrogates_U+1D11E": b'["\\uDd1e\\uD834"]',
    "string_iso_latin_1": b'["\xe9"]',
    "string_lone_second_surrogate": b'["\\uDFAA"]',
    "string_lone_utf8_continuation_byte": b'["\x81"]',
    "string_not_in_unicode_range": b'["\xf4\xbf\xbf\xbf"]',
    "string_overlong_sequence_2_bytes": b'["\xc0\xaf"]',
    "string_overlong_sequence_6_bytes": b'["\xfc\x83\xbf\xbf\xbf\xbf"]',
    "string_overlong_sequence_6_bytes_null": b'["\xfc\x80\x80\x80\x80\x80"]',
    "string_truncated-utf-8": b'["\xe0\xff"]',
    "string_utf16BE_no_BOM": b'\x00[\x00"\x00\xe9\x00"\x00]',
    "string_utf16LE_no_BOM": b'[\x00"\x00\xe9\x00"\x00]\x00',
    "structure_500_nested_arrays": b"[" * 500 + b"]" * 500,
    "structure_UTF-8_BOM_empty_object": b"\xef\xbb\xbf{}",
}

# ---- results documents --------------------------------------------------------


def point(name_exec, executor, workers, reps, ideal_ns, unit="ms", params=None):
    name = f"io.sleep/exec:{name_exec}/tasks:16/workers:{workers}/latency_us:1000/manual_time"
    rows = []
    for i, t in enumerate(reps):
        rows.append({"name": name, "family_index": 0, "per_family_instance_index": 0,
                     "run_name": name, "run_type": "iteration", "repetitions": len(reps),
                     "repetition_index": i, "threads": 1, "iterations": 1, "real_time": t,
                     "cpu_time": t / 20, "time_unit": unit, "workload": "io.sleep",
                     "executor": executor, "workers": workers, "tasks": 16, "pin": "compact",
                     "params": params if params is not None else {"latency_us": 1000},
                     "ideal_ns": ideal_ns, "spawn_ns": 4100})
    med = sorted(reps)[len(reps) // 2]
    rows.append({"name": name + "_median", "family_index": 0, "per_family_instance_index": 0,
                 "run_name": name, "run_type": "aggregate", "repetitions": len(reps),
                 "threads": 1, "aggregate_name": "median", "aggregate_unit": "time",
                 "iterations": len(reps), "real_time": med, "cpu_time": med / 20,
                 "time_unit": unit, "workload": "io.sleep", "executor": executor,
                 "workers": workers, "tasks": 16, "pin": "compact",
                 "params": {"latency_us": 1000}, "ideal_ns": ideal_ns})
    return rows


def tiny_doc():
    """The base for truncation and mutation: every kind of row, as few bytes as can be."""
    rows = point("threaded", "threaded", 4, [4.1, 4.2], 4000000)
    rows.append({"name": "io.sleep/exec:multiprocess/tasks:16/workers:2/latency_us:1000",
                 "iterations": 1, "real_time": 0, "cpu_time": 0, "time_unit": "ms",
                 "error_occurred": True, "error_message": "timed out after 60 s",
                 "workload": "io.sleep", "executor": "multiprocess", "workers": 2, "tasks": 16})
    rows.append({"name": "BM_plain", "iterations": 9, "real_time": 3.5, "cpu_time": 3.5,
                 "time_unit": "us"})
    return {"context": {"host_name": "vm", "execbench": {"preset": "quick"}}, "benchmarks": rows}


def small_doc():
    rows = (point("sequential", "sequential", 1, [16.2, 16.1, 16.3], 16000000)
            + point("threaded", "threaded", 4, [4.1, 4.2, 4.05], 4000000)
            + point("coroutine", "coroutine", 0, [1.02, 1.01, 1.03], 1000000))
    rows.append({"name": "io.sleep/exec:multiprocess/tasks:16/workers:2/latency_us:1000/manual_time",
                 "run_type": "iteration", "repetitions": 1, "repetition_index": 0,
                 "iterations": 1, "real_time": 0, "cpu_time": 0, "time_unit": "ms",
                 "error_occurred": True, "error_message": "timed out after 60 s",
                 "workload": "io.sleep", "executor": "multiprocess", "workers": 2, "tasks": 16})
    rows.append({"name": "micro.kernel/sumsq/n:1024", "run_type": "iteration",
                 "repetitions": 2, "repetition_index": 0, "iterations": 1000,
                 "real_time": 0.35, "cpu_time": 0.35, "time_unit": "us"})
    rows.append({"name": "micro.kernel/sumsq/n:1024", "run_type": "iteration",
                 "repetitions": 2, "repetition_index": 1, "iterations": 1000,
                 "real_time": 0.36, "cpu_time": 0.36, "time_unit": "us"})
    return {"context": {"date": "2026-11-22T23:10:04+00:00", "host_name": "vm",
                        "execbench": {"preset": "quick"}},
            "benchmarks": rows}


SEEDS = {
    "execbench_small": small_doc(),
    "gbench_plain": {"context": {"host_name": "h"}, "benchmarks": [
        {"name": "BM_a", "run_type": "iteration", "iterations": 10, "real_time": 1.5,
         "cpu_time": 1.5, "time_unit": "ns"},
        {"name": "BM_a", "run_type": "iteration", "iterations": 10, "real_time": 1.7,
         "cpu_time": 1.6, "time_unit": "ns"},
        {"name": "BM_b/threads:2", "run_type": "iteration", "iterations": 10, "real_time": 3,
         "cpu_time": 5, "time_unit": "s", "threads": 2}]},
    "aggregates_only": {"benchmarks": [
        {"name": "BM_a_mean", "run_name": "BM_a", "run_type": "aggregate",
         "aggregate_name": "mean", "aggregate_unit": "time", "iterations": 3, "repetitions": 3,
         "real_time": 2, "cpu_time": 2, "time_unit": "ms"},
        {"name": "BM_a_median", "run_name": "BM_a", "run_type": "aggregate",
         "aggregate_name": "median", "aggregate_unit": "time", "iterations": 3,
         "repetitions": 3, "real_time": 2, "cpu_time": 2, "time_unit": "ms"},
        {"name": "BM_a_cv", "run_name": "BM_a", "run_type": "aggregate", "aggregate_name": "cv",
         "aggregate_unit": "percentage", "iterations": 3, "repetitions": 3, "real_time": 0.01,
         "cpu_time": 0.01, "time_unit": "ms"}]},
    "old_gbench": {"benchmarks": [
        {"name": "BM_x", "iterations": 5, "real_time": 10, "cpu_time": 9, "time_unit": "ns"},
        {"name": "BM_x_mean", "run_type": "aggregate", "aggregate_name": "mean",
         "iterations": 5, "real_time": 10, "cpu_time": 9, "time_unit": "ns"}]},
    "only_errors": {"benchmarks": [
        {"name": "BM_e", "error_occurred": True, "error_message": "boom", "iterations": 0,
         "real_time": 0, "cpu_time": 0, "time_unit": "ns"}]},
}

# Values a field is replaced with: every JSON type, extremes, and the traps.
HOSTILE = {
    "null": None, "true": True, "zero": 0, "neg": -1, "huge_int": 9223372036854775807,
    "huge_real": 1e308, "real": 1.5, "empty_str": "", "ctrl_str": "a\nb\x01\u00e9\u2028",
    "array": [1, 2], "object": {"k": "v"}, "unit_hours": "hours",
}
FIELDS = ["name", "run_name", "run_type", "aggregate_name", "aggregate_unit", "repetitions",
          "repetition_index", "iterations", "threads", "real_time", "cpu_time", "time_unit",
          "error_occurred", "error_message", "workload", "executor", "workers", "tasks", "pin",
          "params", "ideal_ns", "spawn_ns", "family_index"]


def dump(doc):
    return json.dumps(doc, separators=(",", ":")).encode()


def write(sub, name, data):
    path = os.path.join(OUT, sub, name)
    with open(path, "wb") as f:
        f.write(data)


def main():
    for sub in ("json", "truncated", "mutated", "seeds"):
        shutil.rmtree(os.path.join(OUT, sub), ignore_errors=True)
        os.makedirs(os.path.join(OUT, sub))
    for prefix, table in (("y", Y), ("n", N), ("i", I)):
        for name, data in table.items():
            write("json", f"{prefix}_{name}.json", data)

    for name, doc in SEEDS.items():
        write("seeds", name + ".json", json.dumps(doc, indent=1).encode())

    base = dump(tiny_doc())
    # Cut points: every 29 bytes, and at some structural characters.
    cuts = set(range(0, len(base), 29))
    cuts |= {i for i, ch in enumerate(base) if ch in b"{}[],:\"" and i % 7 == 0}
    for n in sorted(cuts):
        write("truncated", f"cut_{n:05d}.json", base[:n])

    doc = tiny_doc()
    rows = doc["benchmarks"]
    for field in FIELDS:
        for label, value in HOSTILE.items():
            d = json.loads(json.dumps(doc))
            d["benchmarks"][0][field] = value
            write("mutated", f"{field}__{label}.json", dump(d))
        d = json.loads(json.dumps(doc))
        d["benchmarks"][0].pop(field, None)
        write("mutated", f"{field}__removed.json", dump(d))
    for label, value in HOSTILE.items():  # the document's own shape
        write("mutated", f"doc_benchmarks__{label}.json",
              dump({"context": doc["context"], "benchmarks": value}))
        write("mutated", f"doc_context__{label}.json",
              dump({"context": value, "benchmarks": rows}))
        write("mutated", f"doc_row__{label}.json", dump({"benchmarks": [value] + rows}))
        write("mutated", f"doc_top__{label}.json", dump(value))
    d = json.loads(json.dumps(doc))
    d["benchmarks"][0]["name"] = "y" * 5000
    write("mutated", "name__long.json", dump(d))
    # Duplicate names with different time units, a huge repetition set, NaN as
    # libbenchmark 1.7.1 writes it, many distinct runs.
    d = json.loads(json.dumps(doc))
    for r in d["benchmarks"]:
        r["name"] = "same"
        r.pop("run_name", None)
    write("mutated", "all_same_name.json", dump(d))
    write("mutated", "nan_counter.json", base.replace(b'"spawn_ns":4100', b'"spawn_ns":NaN', 1))
    write("mutated", "inf_time.json", base.replace(b'"real_time":4.1', b'"real_time":Infinity', 1))
    many = {"benchmarks": [{"name": f"BM_{i}", "real_time": i, "cpu_time": i,
                            "time_unit": "ns", "iterations": 1} for i in range(1000)]}
    write("mutated", "many_runs.json", json.dumps(many).encode())
    reps = {"benchmarks": [{"name": "BM_r", "real_time": (i % 7) * 1.5, "cpu_time": 1,
                            "time_unit": "ns", "iterations": 1} for i in range(1500)]
            + [{"name": "BM_r2", "real_time": i, "cpu_time": 1, "time_unit": "ns",
                "iterations": 1} for i in range(3)]}
    write("mutated", "many_repetitions.json", json.dumps(reps).encode())

    rng = random.Random(20261122)
    for k in range(100):
        b = bytearray(base)
        for _ in range(rng.randint(1, 8)):
            op = rng.random()
            at = rng.randrange(len(b))
            if op < 0.5:
                b[at] = rng.randrange(256)
            elif op < 0.75:
                del b[at:at + rng.randint(1, 16)]
            else:
                b[at:at] = bytes(rng.choice(b'{}[]",:0123456789-eE.tfn\\u'))
        write("mutated", f"bytes_{k:03d}.json", bytes(b))


if __name__ == "__main__":
    main()
