/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "assay-disputes-page.h"
#include "store/assay-store-disputes.h"

G_BEGIN_DECLS

struct _AssayDisputesPage
{
  GtkWidget        parent_instance;

  AssayContext    *context;
  GCancellable    *cancellable;
  AdwToastOverlay *toasts;
  GtkStack        *stack;
  GtkListBox      *list;
  GtkDropDown     *filter;
  GtkWidget       *back;
  GtkWidget       *raise_button;
  GtkBox          *detail;
  gboolean         loading;
  gboolean         reload;
  gboolean         loaded;
  guint            n_disputes;
  guint            n_overdue;

  /* the dispute shown in the detail, and its evaluation */
  char                   *dispute_id;
  AssayDisputeRecord     *dispute;     /* borrowed from @data */
  AssayDisputePacketData *data;
  gboolean                detail_loading;
  guint                   generation;

  /* the open dialog's controls */
  GtkDropDown  *eval_drop;
  GPtrArray    *evaluations;          /* AssayEvaluationRecord */
  GtkBox       *item_box;             /* check buttons, "item-id" data */
  AssayDisputePacketData *dialog_data;
  GtkEntry     *reason_entry;
  GtkDropDown  *decision_drop;
  GtkDropDown  *reason_drop;
  GtkEntry     *comment_entry;
};

void _assay_disputes_page_toast       (AssayDisputesPage *self,
                                       const char        *text);
void _assay_disputes_page_show_detail (AssayDisputesPage *self);

/* the packet's data of @evaluation_id, read off the main thread */
void                    _assay_disputes_page_read_async  (AssayDisputesPage   *self,
                                                          const char          *evaluation_id,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
AssayDisputePacketData *_assay_disputes_page_read_finish (AssayDisputesPage   *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);

void _assay_disputes_page_set_item_box (AssayDisputesPage *self,
                                        GtkWidget         *box);

/* the dialogs (assay-disputes-page-dialogs.c) and what they do, also for tests */
void _assay_disputes_page_raise_dialog  (AssayDisputesPage  *self);
void _assay_disputes_page_decide_dialog (AssayDisputesPage  *self);
void _assay_disputes_page_ack_dialog    (AssayDisputesPage  *self);
void _assay_disputes_page_raise         (AssayDisputesPage  *self,
                                         const char         *evaluation_id,
                                         const char * const *items,
                                         const char         *reason);
void _assay_disputes_page_decide        (AssayDisputesPage  *self,
                                         const char         *decision,
                                         const char         *reason,
                                         const char         *comment,
                                         const char * const *upheld_items);
void _assay_disputes_page_acknowledge   (AssayDisputesPage  *self,
                                         const char         *comment);
/* whether "me" may decide the shown dispute's current step */
gboolean _assay_disputes_page_may_decide (AssayDisputesPage *self);

/* For tests: "loading", "empty", "list" or "detail"; the disputes listed, the overdue ones;
 * the shown dispute's state, current step and its evaluation's revisions. */
const char *_assay_disputes_page_get_state        (AssayDisputesPage *self);
guint       _assay_disputes_page_get_n_disputes   (AssayDisputesPage *self);
guint       _assay_disputes_page_get_n_overdue    (AssayDisputesPage *self);
const char *_assay_disputes_page_get_dispute_state (AssayDisputesPage *self);
int         _assay_disputes_page_get_current_step (AssayDisputesPage *self);
guint       _assay_disputes_page_get_n_revisions  (AssayDisputesPage *self);
gboolean    _assay_disputes_page_get_acknowledged (AssayDisputesPage *self);
void        _assay_disputes_page_set_filter       (AssayDisputesPage *self,
                                                   guint              filter);

G_END_DECLS
