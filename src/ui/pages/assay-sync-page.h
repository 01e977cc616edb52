/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * The Sync page (place "sync", under Centre, for every role): the signed-in account and its
 * roles, the server, the last sync, the operations waiting to be sent, the last error with
 * Retry, and the conflicting copies and rejected drafts waiting for the user. Not signed in,
 * a status page offers Preferences. Children named for the tests: "state" (the stack:
 * "signed-out" or "signed-in"), "account", "server", "last-sync", "pending", "error",
 * "retry", "conflicts".
 */
#define ASSAY_TYPE_SYNC_PAGE (assay_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (AssaySyncPage, assay_sync_page, ASSAY, SYNC_PAGE, GtkWidget)

/* "signed-out" or "signed-in". */
const char *assay_sync_page_get_view       (AssaySyncPage *self);
/* The number of conflict rows listed. */
guint       assay_sync_page_get_n_conflicts (AssaySyncPage *self);

G_END_DECLS
