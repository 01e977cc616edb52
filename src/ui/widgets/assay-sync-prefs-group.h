/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "assay-context.h"

G_BEGIN_DECLS

/*
 * Preferences → "Central Service": the server address, then a login and password (the server
 * issues the token) or a token an administrator created; signed in, the account and Sign Out.
 * Children are named for the tests: "server", "login", "password", "sign-in", "token",
 * "sign-in-token", "message", "account", "sign-out".
 */
#define ASSAY_TYPE_SYNC_PREFS_GROUP (assay_sync_prefs_group_get_type ())
G_DECLARE_FINAL_TYPE (AssaySyncPrefsGroup, assay_sync_prefs_group, ASSAY, SYNC_PREFS_GROUP,
                      AdwPreferencesGroup)

GtkWidget  *assay_sync_prefs_group_new         (AssayContext        *context);
/* The message under the buttons (a failed sign-in, the slow-down), "" when none. */
const char *assay_sync_prefs_group_get_message (AssaySyncPrefsGroup *self);

G_END_DECLS
