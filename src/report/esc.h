/* esc.h - putting strings from the run record into each output format
 * (private to src/report). Every string a renderer prints from the record
 * goes through one of these: the record may hold anything. */
#ifndef ZF_REPORT_ESC_H
#define ZF_REPORT_ESC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Decode one UTF-8 character at S (which is NUL-terminated): its length in
 * bytes and code point in *CP; 0 when the bytes at S are not well-formed
 * UTF-8 (overlong, surrogate, out of range, truncated). */
size_t esc_utf8_next(const char *s, uint32_t *cp);

/* A copy of S with every byte that is not part of well-formed UTF-8
 * replaced by '?'. Free it. */
char *esc_utf8_clean(const char *s);

/* HTML and XML text and attribute values: & < > " ' as references, line
 * breaks and tabs as character references, and characters XML 1.0 does
 * not allow (controls, U+FFFE/U+FFFF, bad UTF-8) as '?'. NULL prints
 * nothing. */
void esc_xml(FILE *out, const char *s);

/* A Markdown table cell: the ASCII punctuation that could start markup in a
 * cell is backslash-escaped; line breaks and controls become spaces;
 * an empty string prints as '-'. */
void esc_md(FILE *out, const char *s);

/* Terminal text: controls (C0, DEL, C1) and bad UTF-8 as '?', so the record
 * cannot drive the terminal; at most MAXCOLS characters, the last one '~'
 * when cut. Returns the characters printed (OUT NULL: only counts). */
size_t esc_term(FILE *out, const char *s, size_t maxcols);

#endif
