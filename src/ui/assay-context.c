/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "assay-context-private.h"

G_DEFINE_FINAL_TYPE (AssayContext, assay_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_READY,
  PROP_ROLES,
  PROP_SYNC,
  PROP_PLAYER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GFlagsValue role_values[] = {
  { ASSAY_ROLE_INSPECTOR, "ASSAY_ROLE_INSPECTOR", "inspector" },
  { ASSAY_ROLE_LEAD, "ASSAY_ROLE_LEAD", "lead" },
  { ASSAY_ROLE_MANAGER, "ASSAY_ROLE_MANAGER", "manager" },
  { ASSAY_ROLE_AGENT, "ASSAY_ROLE_AGENT", "agent" },
  { ASSAY_ROLE_ADMIN, "ASSAY_ROLE_ADMIN", "admin" },
  { 0, NULL, NULL }
};

GType
assay_roles_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_flags_register_static (g_intern_static_string ("AssayRoles"),
                                                       role_values));
  return type;
}

AssayRoles
assay_roles_from_strv (const char * const *names)
{
  AssayRoles roles = ASSAY_ROLE_NONE;

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    for (guint j = 0; role_values[j].value_nick != NULL; j++)
      if (g_str_equal (names[i], role_values[j].value_nick))
        roles |= role_values[j].value;
  return roles;
}

char **
assay_roles_to_strv (AssayRoles roles)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint j = 0; role_values[j].value_nick != NULL; j++)
    if (roles & role_values[j].value)
      g_strv_builder_add (builder, role_values[j].value_nick);
  return g_strv_builder_end (builder);
}

/* A string of "me" that pages may still point at is kept until the context ends. */
static void
retire_and_set (AssayContext  *self,
                char         **field,
                const char    *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  if (*field != NULL)
    g_ptr_array_add (self->retired, *field);
  *field = g_strdup (value);
}

void
_assay_context_update_identity (AssayContext *self)
{
  AssaySyncEngine *engine = ASSAY_IS_SYNC_ENGINE (self->sync) ? ASSAY_SYNC_ENGINE (self->sync) : NULL;
  const AssaySyncAccount *account = engine != NULL ? assay_sync_engine_get_account (engine) : NULL;
  AssayRoles roles;

  if (account != NULL)
    {
      /* signed in: the server says who "me" is and what they may do (ROLES.md) */
      g_auto(GStrv) list = NULL;
      g_autofree char *names = NULL;

      /* the account's bits are 1 << AssayRole (protocol), in the order of AssayRoles */
      roles = account->roles & (ASSAY_ROLE_INSPECTOR | ASSAY_ROLE_LEAD | ASSAY_ROLE_MANAGER
                                | ASSAY_ROLE_AGENT | ASSAY_ROLE_ADMIN);
      list = assay_roles_to_strv (roles);
      names = g_strjoinv (",", list);
      if (self->me != NULL)
        {
          retire_and_set (self, &self->me->id, account->user_id);
          retire_and_set (self, &self->me->name, account->name);
          retire_and_set (self, &self->me->roles, names);
        }
    }
  else
    {
      g_auto(GStrv) names = g_settings_get_strv (self->settings, "roles");

      roles = assay_roles_from_strv ((const char * const *) names);
      if (self->me != NULL && self->local_me_id != NULL)
        {
          retire_and_set (self, &self->me->id, self->local_me_id);
          retire_and_set (self, &self->me->name, self->local_me_name);
        }
    }
  if (roles == self->roles)
    return;
  self->roles = roles;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLES]);
}

static void
settings_roles_changed_cb (AssayContext *self)
{
  _assay_context_update_identity (self);
}

static void
me_loaded_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AssayContext *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  AssayStaffRecord *me = assay_store_get_me_finish (ASSAY_STORE (source), result, &error);

  if (me == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* two windows may have asked at once: the first answer stays */
  if (self->me == NULL)
    {
      self->me = me;
      self->local_me_id = g_strdup (me->id);
      self->local_me_name = g_strdup (me->name);
      self->ready = TRUE;
      _assay_context_update_identity (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
  else
    assay_staff_record_free (me);
  _assay_context_sync_restore (self);
  g_task_return_boolean (task, TRUE);
}

static void
store_opened_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!assay_store_open_finish (ASSAY_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  assay_store_get_me_async (ASSAY_STORE (source), g_task_get_cancellable (task), me_loaded_cb,
                            g_object_ref (task));
}

static void
assay_context_dispose (GObject *object)
{
  AssayContext *self = ASSAY_CONTEXT (object);

  _assay_context_sync_dispose (self);
  g_clear_object (&self->sync);
  g_clear_object (&self->player);
  G_OBJECT_CLASS (assay_context_parent_class)->dispose (object);
}

static void
assay_context_finalize (GObject *object)
{
  AssayContext *self = ASSAY_CONTEXT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->me, assay_staff_record_free);
  g_clear_pointer (&self->retired, g_ptr_array_unref);
  g_clear_object (&self->sync_cancellable);
  g_free (self->local_me_id);
  g_free (self->local_me_name);
  G_OBJECT_CLASS (assay_context_parent_class)->finalize (object);
}

static void
assay_context_constructed (GObject *object)
{
  AssayContext *self = ASSAY_CONTEXT (object);

  G_OBJECT_CLASS (assay_context_parent_class)->constructed (object);

  g_assert (ASSAY_IS_STORE (self->store));
  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->settings, "changed::roles", G_CALLBACK (settings_roles_changed_cb),
                           self, G_CONNECT_SWAPPED);
  settings_roles_changed_cb (self);
  _assay_context_sync_init (self);
}

static void
assay_context_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AssayContext *self = ASSAY_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    case PROP_ROLES:
      g_value_set_flags (value, self->roles);
      break;
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    case PROP_PLAYER:
      g_value_set_object (value, self->player);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_context_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AssayContext *self = ASSAY_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_SYNC:
      assay_context_set_sync (self, g_value_get_object (value));
      break;
    case PROP_PLAYER:
      assay_context_set_player (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_context_class_init (AssayContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = assay_context_constructed;
  object_class->dispose = assay_context_dispose;
  object_class->finalize = assay_context_finalize;
  object_class->get_property = assay_context_get_property;
  object_class->set_property = assay_context_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, ASSAY_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLES] =
    g_param_spec_flags ("roles", NULL, NULL, ASSAY_TYPE_ROLES, ASSAY_ROLE_NONE,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYER] =
    g_param_spec_object ("player", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
assay_context_init (AssayContext *self)
{
  self->retired = g_ptr_array_new_with_free_func (g_free);
  self->sync_cancellable = g_cancellable_new ();
}

AssayContext *
assay_context_new (AssayStore *store,
                   GSettings  *settings)
{
  g_return_val_if_fail (ASSAY_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (ASSAY_TYPE_CONTEXT, "store", store, "settings", settings, NULL);
}

AssayStore *
assay_context_get_store (AssayContext *self)
{
  g_return_val_if_fail (ASSAY_IS_CONTEXT (self), NULL);
  return self->store;
}

GSettings *
assay_context_get_settings (AssayContext *self)
{
  g_return_val_if_fail (ASSAY_IS_CONTEXT (self), NULL);
  return self->settings;
}

void
assay_context_load_async (AssayContext        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ASSAY_IS_CONTEXT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_context_load_async);
  if (self->ready)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  assay_store_open_async (self->store, cancellable, store_opened_cb, g_steal_pointer (&task));
}

gboolean
assay_context_load_finish (AssayContext  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
assay_context_get_ready (AssayContext *self)
{
  g_return_val_if_fail (ASSAY_IS_CONTEXT (self), FALSE);
  return self->ready;
}

const AssayStaffRecord *
assay_context_get_me (AssayContext *self)
{
  g_return_val_if_fail (ASSAY_IS_CONTEXT (self), NULL);
  return self->me;
}

AssayRoles
assay_context_get_roles (AssayContext *self)
{
  g_return_val_if_fail (ASSAY_IS_CONTEXT (self), ASSAY_ROLE_NONE);
  return self->roles;
}

gboolean
assay_context_has_role (AssayContext *self,
                        AssayRoles    any_of)
{
  g_return_val_if_fail (ASSAY_IS_CONTEXT (self), FALSE);
  return (self->roles & any_of) != 0;
}

GObject *
assay_context_get_sync (AssayContext *self)
{
  g_return_val_if_fail (ASSAY_IS_CONTEXT (self), NULL);
  return self->sync;
}

void
assay_context_set_sync (AssayContext *self,
                        GObject      *sync)
{
  g_return_if_fail (ASSAY_IS_CONTEXT (self));

  if (g_set_object (&self->sync, sync))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
      _assay_context_update_identity (self);
    }
}

GObject *
assay_context_get_player (AssayContext *self)
{
  g_return_val_if_fail (ASSAY_IS_CONTEXT (self), NULL);
  return self->player;
}

void
assay_context_set_player (AssayContext *self,
                          GObject      *player)
{
  g_return_if_fail (ASSAY_IS_CONTEXT (self));

  if (g_set_object (&self->player, player))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYER]);
}

void
assay_context_close (AssayContext *self)
{
  g_return_if_fail (ASSAY_IS_CONTEXT (self));
  assay_store_close (self->store);
}
