/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Each assayctl command is a function in its own file, assayctl-<command>.c. It gets the
 * arguments after the command name (argv[0] is the command), and the database path chosen with
 * --database (or the default). It returns the process exit status: 0 ok, 1 failure,
 * 2 bad usage or bad input.
 */
typedef int (*AssayctlCommand) (int          argc,
                                char       **argv,
                                const char  *database);

int assayctl_seed    (int argc, char **argv, const char *database);
int assayctl_import  (int argc, char **argv, const char *database);
int assayctl_export  (int argc, char **argv, const char *database);
int assayctl_score   (int argc, char **argv, const char *database);
int assayctl_analyze (int argc, char **argv, const char *database);
int assayctl_draw    (int argc, char **argv, const char *database);
int assayctl_check   (int argc, char **argv, const char *database);
int assayctl_salvage (int argc, char **argv, const char *database);
int assayctl_calibration (int argc, char **argv, const char *database);
int assayctl_kpi     (int argc, char **argv, const char *database);
int assayctl_evaluate (int argc, char **argv, const char *database);
int assayctl_amend   (int argc, char **argv, const char *database);
int assayctl_dispute (int argc, char **argv, const char *database);
int assayctl_dispute_packet (int argc, char **argv, const char *database);
int assayctl_report  (int argc, char **argv, const char *database);
int assayctl_calendar (int argc, char **argv, const char *database);
int assayctl_audit   (int argc, char **argv, const char *database);
int assayctl_sync    (int argc, char **argv, const char *database);
int assayctl_dump    (int argc, char **argv, const char *database);

/* Prints "assayctl: <message>" to stderr. */
void assayctl_error (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* --lang zh_CN|zh_TW|en: LC_MESSAGES and LANGUAGE for a document (assayctl-report.c) */
gboolean assayctl_set_language (const char *lang);

/* Analyses the recordings in @database without a current analysis and stores the figures,
 * printing a line (a JSON object with @json) per recording; returns the exit status
 * (assayctl-analyze.c; `assayctl analyze --store`). */
int assayctl_analyze_pending (const char *database, gboolean json, gboolean no_cache);

G_END_DECLS
