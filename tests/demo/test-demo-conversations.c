/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The words of the demo's chats and emails. */
#include <string.h>

#include "demo/assay-demo-conversations.h"

static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  return FALSE;
}

static void
check_shape (const AssayUtterances  *u,
             const AssayDemoContact *c)
{
  guint n = assay_utterances_get_n (u);
  const AssayUtterance *first = assay_utterances_get (u, 0);
  gboolean agent_seen = FALSE;

  g_assert_cmpint (u->kind, ==, ASSAY_TRANSCRIPT_CONVERSATION);
  g_assert_cmpuint (n, >=, 3);
  /* the customer writes first, at the start of the contact */
  g_assert_cmpint (first->role, ==, ASSAY_SPEAKER_CUSTOMER);
  g_assert_cmpint (first->start_ms, ==, c->started_at);
  for (guint i = 0; i < n; i++)
    {
      const AssayUtterance *m = assay_utterances_get (u, i);

      g_assert_cmpint (m->end_ms, ==, m->start_ms);
      if (i > 0)
        g_assert_cmpint (m->start_ms, >=, assay_utterances_get (u, i - 1)->start_ms);
      g_assert_true (g_utf8_validate (m->text, -1, NULL));
      g_assert_null (strchr (m->text, '{'));            /* every placeholder filled */
      g_assert_cmpint (has_han (m->text), ==, c->chinese);
      if (m->role == ASSAY_SPEAKER_AGENT)
        {
          g_assert_cmpstr (m->speaker, ==, c->agent_name);
          if (!agent_seen)   /* the agent answers after the first-response time */
            g_assert_cmpint (m->start_ms, ==, c->started_at + c->first_response_s * 1000);
          agent_seen = TRUE;
        }
      if (g_str_equal (c->channel, "email"))
        g_assert_nonnull (m->subject);
      else
        g_assert_null (m->subject);
    }
  g_assert_true (agent_seen);
}

static void
test_shapes (void)
{
  const char *channels[] = { "chat", "email" };

  for (guint ch = 0; ch < 2; ch++)
    for (int zh = 0; zh < 2; zh++)
      for (int resolved = 0; resolved < 2; resolved++)
        for (guint k = 0; k < 20; k++)
          {
            g_autofree char *id = g_strdup_printf ("01a2410b-d24d-75f5-abe0-%012u", k);
            AssayDemoContact c = { id, channels[ch], zh, zh ? "刘洋" : "Emily Carter",
                                   G_GINT64_CONSTANT (1794652920000), ch == 0 ? 45 : 14400,
                                   300, ch == 0 ? 400 : 90000, resolved };
            g_autoptr(AssayUtterances) u = assay_demo_conversation (20240611, &c);

            check_shape (u, &c);
          }
}

static void
test_deterministic (void)
{
  AssayDemoContact c = { "01a2410b-d24d-75f5-abe0-fe5d74e63c0b", "email", FALSE, "Chen Jie",
                         G_GINT64_CONSTANT (1794652920000), 3600, 500, -1, FALSE };
  AssayDemoContact phone = c;
  g_autoptr(AssayUtterances) a = assay_demo_conversation (7, &c);
  g_autoptr(AssayUtterances) b = assay_demo_conversation (7, &c);
  g_autoptr(AssayUtterances) other = NULL;
  gboolean differs = FALSE;

  g_assert_cmpuint (assay_utterances_get_n (a), ==, assay_utterances_get_n (b));
  for (guint i = 0; i < assay_utterances_get_n (a); i++)
    {
      g_assert_cmpstr (assay_utterances_get (a, i)->text, ==, assay_utterances_get (b, i)->text);
      g_assert_cmpint (assay_utterances_get (a, i)->start_ms, ==,
                       assay_utterances_get (b, i)->start_ms);
    }
  /* unresolved: the agent writes again to resolve it, a day after the first answer */
  g_assert_cmpint (assay_utterances_get (a, assay_utterances_get_n (a) - 1)->role, ==,
                   ASSAY_SPEAKER_AGENT);
  g_assert_cmpint (assay_utterances_get (a, assay_utterances_get_n (a) - 1)->start_ms, ==,
                   c.started_at + 3600000 + 86400000);
  /* another contact reads differently somewhere */
  for (guint k = 0; k < 8 && !differs; k++)
    {
      g_autofree char *id = g_strdup_printf ("other-%u", k);
      AssayDemoContact d = c;

      d.id = id;
      g_clear_pointer (&other, assay_utterances_free);
      other = assay_demo_conversation (7, &d);
      differs = g_strcmp0 (assay_utterances_get (other, 0)->text,
                           assay_utterances_get (a, 0)->text) != 0;
    }
  g_assert_true (differs);
  /* a call has no conversation */
  phone.channel = "phone";
  g_assert_null (assay_demo_conversation (7, &phone));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/demo-conversations/shapes", test_shapes);
  g_test_add_func ("/demo-conversations/deterministic", test_deterministic);
  return g_test_run ();
}
