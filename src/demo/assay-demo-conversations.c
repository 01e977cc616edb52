/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-demo-conversations.h"

#include <string.h>

/*
 * A script is a list of lines "X|text": X is C (customer) or A (agent), then R or U restricts
 * a line to resolved or unresolved contacts ("AR|..."). {name} placeholders are filled per
 * contact. The first line of an email script is its subject ("S|...").
 */

static const char *const chat_en[][12] = {
  {
    "C|Hi, my wifi keeps dropping every few minutes since yesterday.",
    "A|Hi, thanks for contacting Northwind Telecom, my name is {agent}. I'm sorry about the "
    "dropouts. Could you tell me the account number or the phone number on the account?",
    "C|It's {account}.",
    "A|Thanks. I can see your router reconnected {count} times today. Could you restart it by "
    "holding the power button for 10 seconds?",
    "C|OK, done. The lights are blinking green now.",
    "AR|Great, it has picked a channel with less interference. Is the connection stable now?",
    "CR|Yes, looks fine now. Thanks!",
    "AU|The line still reports errors, so I've booked an engineer check. Your reference is "
    "{ticket}; you'll get a text with the visit time.",
    "CU|OK, thanks.",
    "A|Is there anything else I can help you with today?",
    "C|No, that's all.",
    "A|Thank you for chatting with Northwind Telecom. Have a good day!",
  },
  {
    "C|hello, the app says my password is wrong but I'm sure it's right",
    "A|Hello, this is {agent} from Northwind Telecom. Let's sort that out. For security, can you "
    "confirm your full name and the last four digits of the phone number on the account?",
    "C|{customer}, {phone4}",
    "A|Thank you, you're verified. The account was locked after five attempts. I've sent a "
    "reset link to your email address; it's valid for 30 minutes.",
    "C|Got it, opening it now",
    "CR|Done, I'm logged in again.",
    "AR|Excellent. Please use at least twelve characters and don't reuse the old password.",
    "CU|The link says it has expired already?",
    "AU|I'm sorry about that. I've raised it with our app team under reference {ticket}; "
    "they'll email you a new link within the hour.",
    "A|Is there anything else I can help you with?",
    "C|no thanks",
    "A|Thank you for chatting with Northwind Telecom. Have a great evening!",
  },
  {
    "C|My internet is really slow tonight, a speed test shows 3 Mbps on a 100 Mbps plan.",
    "A|Hi, {agent} here at Northwind Telecom. Sorry about that. Is the test on wifi or on a "
    "cable?",
    "C|wifi, in the living room",
    "A|Could you run one test with a cable plugged into the router? That tells us whether it's "
    "the line or the wifi.",
    "C|With the cable it's 94 Mbps.",
    "AR|Then the line is fine and it's the wifi. Please connect to the network ending in -5G; "
    "it's much faster in the same room as the router.",
    "CR|Wow, 88 Mbps now. Thanks!",
    "AU|Thanks. The cable result is fine, but I can see errors on the line tonight. I've opened "
    "a fault, reference {ticket}, and we'll text you when it's cleared.",
    "CU|Alright.",
    "A|Is there anything else I can help with?",
    "C|No, thank you.",
    "A|Thank you for chatting with Northwind Telecom. Have a good night!",
  },
};

static const char *const chat_zh[][12] = {
  {
    "C|你好，我家宽带从昨晚开始一直掉线。",
    "A|您好，我是在线客服{agent}，很高兴为您服务。给您带来不便非常抱歉，请提供一下宽带账号或者安装地址。",
    "C|账号是{account}。",
    "A|好的，查询到您的光猫今天重连了{count}次。麻烦您把光猫电源拔掉，等30秒再插上。",
    "C|好了，灯都亮了。",
    "AR|现在线路状态正常了，您试一下上网是否恢复？",
    "CR|可以了，谢谢！",
    "AU|线路仍有告警，已为您预约师傅上门检修，工单号{ticket}，师傅会在24小时内联系您。",
    "CU|好的。",
    "A|请问还有其他可以帮您的吗？",
    "C|没有了。",
    "A|感谢您的咨询，祝您生活愉快，再见！",
  },
  {
    "C|在吗？APP一直提示密码错误，登不上去。",
    "A|您好，我是在线客服{agent}。为了保障账户安全，请提供机主姓名和手机号后四位。",
    "C|{customer}，{phone4}。",
    "A|核实通过，谢谢。您的账户因连续输错5次被临时锁定，我已为您解锁，并把重置密码的链接发到您的手机上，30分钟内有效。",
    "C|收到了，我试一下。",
    "CR|好了，已经登录了。",
    "AR|好的，新密码建议至少8位并包含字母和数字，请不要告诉他人。",
    "CU|链接打不开，显示已失效。",
    "AU|非常抱歉，已为您提交技术处理，工单号{ticket}，一小时内会重新发送链接给您。",
    "A|请问还有其他问题吗？",
    "C|没有了，谢谢。",
    "A|不客气，感谢您的咨询，祝您生活愉快！",
  },
  {
    "C|你好，晚上网速特别慢，测速只有3兆，我办的是100兆的套餐。",
    "A|您好，我是在线客服{agent}，很高兴为您服务。请问您是用无线测速还是网线直连测速？",
    "C|无线，在客厅。",
    "A|麻烦您用网线直连光猫再测一次，这样可以判断是线路问题还是无线信号问题。",
    "C|网线测是94兆。",
    "AR|那线路是正常的，是无线信号的问题。建议您连接名称带5G的无线网络，同一个房间速度会快很多。",
    "CR|现在有80多兆了，谢谢！",
    "AU|好的，网线测速正常，但系统显示您的线路今晚有告警，已为您报障，工单号{ticket}，修复后会短信通知您。",
    "CU|好吧。",
    "A|请问还有其他可以帮您的吗？",
    "C|没有了。",
    "A|感谢您的咨询，祝您生活愉快，再见！",
  },
};

static const char *const email_en[][8] = {
  {
    "S|Charged twice for my {month} bill",
    "C|Hello,\n\nI was charged {amount} twice for my {month} bill (account {account}). Could you "
    "refund one of the payments?\n\nThanks,\n{customer}",
    "AR|Dear {first},\n\nthank you for your email, and I'm sorry for the trouble. I can see both "
    "payments of {amount}. I have refunded the second one; it will be back on your card within "
    "3–5 working days.\n\nKind regards,\n{agent}\nNorthwind Telecom Billing",
    "CR|Thank you for sorting this out so quickly!\n\n{customer}",
    "AU|Dear {first},\n\nthank you for your email, and I'm sorry for the trouble. I can see both "
    "payments of {amount} and have passed the duplicate to our payments team under reference "
    "{ticket}.\n\nKind regards,\n{agent}\nNorthwind Telecom Billing",
    "AU|Dear {first},\n\nour payments team has now refunded {amount}; it will reach your card "
    "within 3–5 working days. I'm sorry it took longer than it should have.\n\nKind regards,\n"
    "{agent}\nNorthwind Telecom Billing",
    NULL,
  },
  {
    "S|Roaming charges on my last invoice",
    "C|Hi,\n\nmy last invoice has {amount} of roaming charges, but I had the EU travel pass "
    "active the whole trip. Account {account}.\n\nBest,\n{customer}",
    "AR|Dear {first},\n\nthank you for getting in touch. You're right: the travel pass was active, "
    "but the charges were rated before it applied. I've credited {amount} to your account; you'll "
    "see it on the next invoice.\n\nKind regards,\n{agent}\nNorthwind Telecom Billing",
    "CR|Great, thanks a lot.\n\n{customer}",
    "AU|Dear {first},\n\nthank you for getting in touch. I've asked our roaming team to check the "
    "charges against your travel pass (reference {ticket}) and will come back to you.\n\nKind "
    "regards,\n{agent}\nNorthwind Telecom Billing",
    "AU|Dear {first},\n\nthe roaming team confirmed the charges were rated before your pass "
    "applied. {amount} has been credited to your account.\n\nKind regards,\n{agent}\nNorthwind "
    "Telecom Billing",
    NULL,
  },
  {
    "S|Please remove the TV add-on",
    "C|Hello,\n\nI'd like to cancel the TV add-on from next month; we don't use it. Account "
    "{account}.\n\nRegards,\n{customer}",
    "AR|Dear {first},\n\nthank you for your email. I've removed the TV add-on from the start of "
    "your next billing period, so your monthly price goes down by {amount}. No cancellation fee "
    "applies.\n\nKind regards,\n{agent}\nNorthwind Telecom Billing",
    "CR|Perfect, thank you.\n\n{customer}",
    "AU|Dear {first},\n\nthank you for your email. The add-on is part of a 12-month bundle, so "
    "I've "
    "asked our retention team to check for a fee-free option (reference {ticket}).\n\nKind "
    "regards,\n{agent}\nNorthwind Telecom Billing",
    "AU|Dear {first},\n\nthe retention team has waived the fee: the TV add-on ends with this "
    "billing period.\n\nKind regards,\n{agent}\nNorthwind Telecom Billing",
    NULL,
  },
};

static const char *const email_zh[][8] = {
  {
    "S|{month}话费重复扣款",
    "C|您好：\n\n我的账户{account}在{month}被重复扣了两次话费，每次{amount}，麻烦退回其中一笔。\n\n谢谢！\n{customer}",
    "AR|{customer}您好：\n\n感谢您的来信，给您带来不便深表歉意。经核实确有两笔{amount}的扣款，"
    "已为您退回其中一笔，预计3至5个工作日原路到账。\n\n邮件支持 {agent}",
    "CR|收到，谢谢处理！\n\n{customer}",
    "AU|{customer}您好：\n\n感谢您的来信，给您带来不便深表歉意。重复扣款已提交财务部门核实退款，工单号{ticket}，处理结果会邮件告知您。\n\n邮件支持 {agent}",
    "AU|{customer}您好：\n\n财务部门已为您退回{amount}，预计3至5个工作日原路到账。处理时间较长，敬请谅解。\n\n邮件支持 {agent}",
    NULL,
  },
  {
    "S|申请开具电子发票",
    "C|您好：\n\n请帮我开具{month}的话费电子发票，抬头为个人，账户{account}。\n\n{customer}",
    "AR|{customer}您好：\n\n感谢您的来信。{month}话费电子发票（金额{amount}）已开具，并发送到您预留的邮箱，请注意查收。\n\n邮件支持 {agent}",
    "CR|已收到发票，谢谢。\n\n{customer}",
    "AU|{customer}您好：\n\n感谢您的来信。该账期账单尚未出账，暂时无法开具发票，已为您登记预约，工单号{ticket}，出账后将自动发送。\n\n邮件支持 {agent}",
    "AU|{customer}您好：\n\n{month}话费电子发票（金额{amount}）已开具并发送到您的邮箱，请注意查收。\n\n邮件支持 {agent}",
    NULL,
  },
  {
    "S|咨询套餐变更",
    "C|您好：\n\n我现在的套餐流量不够用，想换成流量更多的套餐，下个月生效。账户{account}。\n\n{customer}",
    "AR|{customer}您好：\n\n感谢您的来信。已按您的要求变更为月租{amount}的畅享套餐，下个月1日生效，当月套餐不受影响。\n\n邮件支持 {agent}",
    "CR|好的，谢谢！\n\n{customer}",
    "AU|{customer}您好：\n\n感谢您的来信。您当前套餐还在合约期内，变更需要审核，已提交申请，工单号{ticket}，审核结果会邮件通知您。\n\n邮件支持 {agent}",
    "AU|{customer}您好：\n\n您的套餐变更申请已审核通过，月租{amount}的畅享套餐将于下个月1日生效。\n\n邮件支持 {agent}",
    NULL,
  },
};

static const char *const customers_en[] = {
  "Tom Baker", "Sarah Collins", "James Patel", "Emma Wright", "Daniel Kim", "Olivia Brown",
  "Mohammed Ali", "Grace Turner", "Lucy Evans", "Ben Murphy",
};
static const char *const customers_zh[] = {
  "王女士", "李先生", "张女士", "刘先生", "陈女士", "杨先生", "赵女士", "黄先生", "周女士", "吴先生",
};
static const char *const months_en[] = {
  "January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December",
};

static char *
fill (const char  *text,
      GHashTable  *values)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      const char *close;

      if (*p == '{' && (close = strchr (p, '}')) != NULL)
        {
          g_autofree char *key = g_strndup (p + 1, (gsize) (close - p - 1));
          const char *value = g_hash_table_lookup (values, key);

          if (value != NULL)
            {
              g_string_append (out, value);
              p = close;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Whether a script line applies to this contact; @text gets what follows the '|'. */
static gboolean
line_applies (const char  *line,
              gboolean     resolved,
              char        *who,
              const char **text)
{
  const char *bar = strchr (line, '|');

  *who = line[0];
  *text = bar + 1;
  if (bar - line > 1)
    return (line[1] == 'R') == resolved;
  return TRUE;
}

AssayUtterances *
assay_demo_conversation (guint32                 seed,
                         const AssayDemoContact *c)
{
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(AssayUtterances) out = NULL;
  gboolean chat, chinese = c->chinese;
  const char *customer;
  const char *agent = c->agent_name != NULL ? c->agent_name : (chinese ? "客服" : "Support");
  gint64 t, t0 = c->started_at;
  gint64 first_ms, end_ms;
  GDateTime *when;
  int month;

  if (g_strcmp0 (c->channel, "chat") == 0)
    chat = TRUE;
  else if (g_strcmp0 (c->channel, "email") == 0)
    chat = FALSE;
  else
    return NULL;

  /* the same words for the same contact, whatever came before */
  rand = g_rand_new_with_seed (seed ^ g_str_hash (c->id != NULL ? c->id : ""));
  values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  customer = chinese ? customers_zh[g_rand_int_range (rand, 0, G_N_ELEMENTS (customers_zh))]
                     : customers_en[g_rand_int_range (rand, 0, G_N_ELEMENTS (customers_en))];
  when = g_date_time_new_from_unix_utc (t0 / 1000);
  month = when != NULL ? g_date_time_get_month (when) : 1;
  g_clear_pointer (&when, g_date_time_unref);
  g_hash_table_insert (values, "agent", g_strdup (agent));
  g_hash_table_insert (values, "customer", g_strdup (customer));
  g_hash_table_insert (values, "first", g_strndup (customer, strcspn (customer, " ")));
  g_hash_table_insert (values, "account", g_strdup_printf ("%u", g_rand_int_range (rand, 10000000,
                                                                                  99999999)));
  g_hash_table_insert (values, "phone4", g_strdup_printf ("%04d", g_rand_int_range (rand, 0,
                                                                                   10000)));
  g_hash_table_insert (values, "ticket", g_strdup_printf ("%s%06d", chinese ? "GD" : "NW-",
                                                          g_rand_int_range (rand, 0, 1000000)));
  g_hash_table_insert (values, "count", g_strdup_printf ("%d", g_rand_int_range (rand, 9, 23)));
  g_hash_table_insert (values, "amount", chinese
                         ? g_strdup_printf ("%d元", g_rand_int_range (rand, 39, 199))
                         : g_strdup_printf ("£%d.%02d", g_rand_int_range (rand, 12, 80),
                                            g_rand_int_range (rand, 0, 100)));
  g_hash_table_insert (values, "month", chinese ? g_strdup_printf ("%d月", month)
                                                : g_strdup (months_en[month - 1]));

  out = assay_utterances_new (ASSAY_TRANSCRIPT_CONVERSATION);
  first_ms = (c->first_response_s >= 0 ? c->first_response_s : (chat ? 40 : 7200))
             * G_GINT64_CONSTANT (1000);
  if (chat)
    {
      const char *const *script = chinese
        ? chat_zh[g_rand_int_range (rand, 0, G_N_ELEMENTS (chat_zh))]
        : chat_en[g_rand_int_range (rand, 0, G_N_ELEMENTS (chat_en))];
      gboolean first_agent = TRUE;
      guint n = 0;
      gint64 gap;

      /* the messages spread over the handling time */
      for (guint i = 0; i < 12 && script[i] != NULL; i++)
        {
          const char *ignored;
          char who;

          if (line_applies (script[i], c->resolved, &who, &ignored))
            n++;
        }
      gap = MAX (15000, (gint64) c->talk_s * 1000 / (gint64) MAX (n, 1));
      t = t0;
      for (guint i = 0; i < 12 && script[i] != NULL; i++)
        {
          g_autofree char *text = NULL;
          const char *raw;
          char who;

          if (!line_applies (script[i], c->resolved, &who, &raw))
            continue;
          if (who == 'A' && first_agent)
            {
              t = t0 + first_ms;
              first_agent = FALSE;
            }
          else if (i > 0)
            t += gap / 2 + g_rand_int_range (rand, 0, (gint32) MIN (gap, G_MAXINT32));
          text = fill (raw, values);
          assay_utterances_add (out, t, t, who == 'A' ? agent : customer,
                                who == 'A' ? ASSAY_SPEAKER_AGENT : ASSAY_SPEAKER_CUSTOMER, text);
        }
    }
  else
    {
      const char *const *script = chinese
        ? email_zh[g_rand_int_range (rand, 0, G_N_ELEMENTS (email_zh))]
        : email_en[g_rand_int_range (rand, 0, G_N_ELEMENTS (email_en))];
      g_autofree char *subject = fill (script[0] + 2, values);
      g_autofree char *reply = g_strconcat (chinese ? "回复：" : "Re: ", subject, NULL);
      guint n_agent = 0;

      end_ms = c->resolution_s >= 0 ? c->resolution_s * G_GINT64_CONSTANT (1000)
                                    : first_ms + 86400000;
      for (guint i = 1; i < 8 && script[i] != NULL; i++)
        {
          g_autofree char *text = NULL;
          const char *raw;
          char who;
          AssayUtterance *u;

          if (!line_applies (script[i], c->resolved, &who, &raw))
            continue;
          if (who == 'C' && n_agent == 0)
            t = t0;
          else if (who == 'A' && n_agent == 0)
            t = t0 + first_ms;
          else if (who == 'A')
            t = t0 + MAX (end_ms, first_ms + 3600000);   /* the follow-up resolves it */
          else
            t = t0 + first_ms + g_rand_int_range (rand, 1800, 6 * 3600) * G_GINT64_CONSTANT (1000);
          if (who == 'A')
            n_agent++;
          text = fill (raw, values);
          u = assay_utterances_add (out, t, t, who == 'A' ? agent : customer,
                                    who == 'A' ? ASSAY_SPEAKER_AGENT : ASSAY_SPEAKER_CUSTOMER, text);
          u->subject = g_strdup (i == 1 ? subject : reply);
        }
    }
  return g_steal_pointer (&out);
}
