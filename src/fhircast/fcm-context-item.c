/* fcm-context-item.c: one open (current or suspended) context
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "Fcm"

#include "config.h"

#include <string.h>

#include "fcm-context-item-internal.h"
#include "fcm-json-private.h"

/* One shared resource: a value in the document of the update (or current
 * context) that brought it, and its json-glib copy once someone asks. */
typedef struct
{
  FcmDoc        *doc;
  const FcmJson *resource;
  JsonObject    *object;
} Content;

static void
content_free (gpointer data)
{
  Content *content = data;

  fcm_doc_unref (content->doc);
  g_clear_pointer (&content->object, json_object_unref);
  g_free (content);
}

static JsonObject *
content_get_object (Content *content)
{
  if (content->object == NULL)
    {
      g_autoptr(JsonNode) node = fcm_doc_to_node (content->resource);

      content->object = json_object_ref (json_node_get_object (node));
    }
  return content->object;
}

G_DEFINE_FINAL_TYPE (FcmContextItem, fcm_context_item, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
fcm_context_item_finalize (GObject *object)
{
  FcmContextItem *self = (FcmContextItem *)object;

  g_clear_pointer (&self->anchor_type, g_free);
  g_clear_pointer (&self->anchor_id, g_free);
  g_clear_pointer (&self->report_status, g_free);
  g_clear_pointer (&self->patient_id, g_free);
  g_clear_pointer (&self->patient_name, g_free);
  g_clear_pointer (&self->patient_sex, g_free);
  g_clear_pointer (&self->birth_date, g_free);
  g_clear_pointer (&self->mrn, g_free);
  g_clear_pointer (&self->study_id, g_free);
  g_clear_pointer (&self->study_uid, g_free);
  g_clear_pointer (&self->accession, g_free);
  g_clear_pointer (&self->study_description, g_free);
  g_clear_pointer (&self->modality, g_free);
  g_clear_pointer (&self->study_date, g_free);
  g_clear_pointer (&self->version_id, g_free);
  g_clear_pointer (&self->opened_by, g_free);
  g_clear_pointer (&self->selection, g_strfreev);
  g_clear_pointer (&self->context, json_array_unref);
  g_clear_pointer (&self->context_owner, fcm_doc_unref);
  g_clear_pointer (&self->content, g_hash_table_unref);
  g_clear_pointer (&self->content_order, g_ptr_array_unref);

  G_OBJECT_CLASS (fcm_context_item_parent_class)->finalize (object);
}

static void
fcm_context_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FcmContextItem *self = FCM_CONTEXT_ITEM (object);

  switch (prop_id)
    {
    case PROP_ANCHOR_TYPE:
      g_value_set_string (value, self->anchor_type);
      break;
    case PROP_ANCHOR_ID:
      g_value_set_string (value, self->anchor_id);
      break;
    case PROP_REPORT_STATUS:
      g_value_set_string (value, self->report_status);
      break;
    case PROP_PATIENT_ID:
      g_value_set_string (value, self->patient_id);
      break;
    case PROP_PATIENT_NAME:
      g_value_set_string (value, self->patient_name);
      break;
    case PROP_PATIENT_SEX:
      g_value_set_string (value, self->patient_sex);
      break;
    case PROP_BIRTH_DATE:
      g_value_set_string (value, self->birth_date);
      break;
    case PROP_MRN:
      g_value_set_string (value, self->mrn);
      break;
    case PROP_STUDY_ID:
      g_value_set_string (value, self->study_id);
      break;
    case PROP_STUDY_UID:
      g_value_set_string (value, self->study_uid);
      break;
    case PROP_ACCESSION:
      g_value_set_string (value, self->accession);
      break;
    case PROP_STUDY_DESCRIPTION:
      g_value_set_string (value, self->study_description);
      break;
    case PROP_MODALITY:
      g_value_set_string (value, self->modality);
      break;
    case PROP_STUDY_DATE:
      g_value_set_string (value, self->study_date);
      break;
    case PROP_VERSION_ID:
      g_value_set_string (value, self->version_id);
      break;
    case PROP_OPENED_BY:
      g_value_set_string (value, self->opened_by);
      break;
    case PROP_CURRENT:
      g_value_set_boolean (value, self->current);
      break;
    case PROP_STALE:
      g_value_set_boolean (value, self->stale);
      break;
    case PROP_SELECTION:
      g_value_set_boxed (value, self->selection);
      break;
    case PROP_N_CONTENT:
      g_value_set_uint (value, g_hash_table_size (self->content));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fcm_context_item_class_init (FcmContextItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = fcm_context_item_finalize;
  object_class->get_property = fcm_context_item_get_property;

  properties[PROP_ANCHOR_TYPE] = g_param_spec_string ("anchor-type", NULL, NULL, NULL, flags);
  properties[PROP_ANCHOR_ID] = g_param_spec_string ("anchor-id", NULL, NULL, NULL, flags);
  properties[PROP_REPORT_STATUS] = g_param_spec_string ("report-status", NULL, NULL, NULL, flags);
  properties[PROP_PATIENT_ID] = g_param_spec_string ("patient-id", NULL, NULL, NULL, flags);
  properties[PROP_PATIENT_NAME] = g_param_spec_string ("patient-name", NULL, NULL, NULL, flags);
  /* Patient.gender: male | female | other | unknown */
  properties[PROP_PATIENT_SEX] = g_param_spec_string ("patient-sex", NULL, NULL, NULL, flags);
  /* Patient.birthDate: YYYY, YYYY-MM or YYYY-MM-DD */
  properties[PROP_BIRTH_DATE] = g_param_spec_string ("birth-date", NULL, NULL, NULL, flags);
  properties[PROP_MRN] = g_param_spec_string ("mrn", NULL, NULL, NULL, flags);
  properties[PROP_STUDY_ID] = g_param_spec_string ("study-id", NULL, NULL, NULL, flags);
  properties[PROP_STUDY_UID] = g_param_spec_string ("study-uid", NULL, NULL, NULL, flags);
  properties[PROP_ACCESSION] = g_param_spec_string ("accession", NULL, NULL, NULL, flags);
  properties[PROP_STUDY_DESCRIPTION] =
    g_param_spec_string ("study-description", NULL, NULL, NULL, flags);
  /* the DICOM modality codes of ImagingStudy.modality, e.g. "CT" or "MR\PT" */
  properties[PROP_MODALITY] = g_param_spec_string ("modality", NULL, NULL, NULL, flags);
  /* ImagingStudy.started as sent (a FHIR dateTime) */
  properties[PROP_STUDY_DATE] = g_param_spec_string ("study-date", NULL, NULL, NULL, flags);
  properties[PROP_VERSION_ID] = g_param_spec_string ("version-id", NULL, NULL, NULL, flags);
  properties[PROP_OPENED_BY] = g_param_spec_string ("opened-by", NULL, NULL, NULL, flags);
  properties[PROP_CURRENT] = g_param_spec_boolean ("current", NULL, NULL, FALSE, flags);
  properties[PROP_STALE] = g_param_spec_boolean ("stale", NULL, NULL, FALSE, flags);
  properties[PROP_SELECTION] = g_param_spec_boxed ("selection", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_N_CONTENT] = g_param_spec_uint ("n-content", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fcm_context_item_init (FcmContextItem *self)
{
  self->content = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, content_free);
  self->content_order = g_ptr_array_new_with_free_func (g_free);
}

FcmContextItem *
_fcm_context_item_new (const char *anchor_type,
                       const char *anchor_id)
{
  FcmContextItem *self = g_object_new (FCM_TYPE_CONTEXT_ITEM, NULL);

  self->anchor_type = g_strdup (anchor_type);
  self->anchor_id = g_strdup (anchor_id);

  return self;
}

static gboolean
set_str (char       **ptr,
         const char  *value)
{
  if (g_strcmp0 (*ptr, value) == 0)
    return FALSE;

  g_free (*ptr);
  *ptr = g_strdup (value);
  return TRUE;
}

void
_fcm_context_item_update_str (FcmContextItem *self,
                              char          **ptr,
                              const char     *value,
                              guint           prop)
{
  if (set_str (ptr, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_fcm_context_item_set_version_id (FcmContextItem *self,
                                  const char     *version_id)
{
  g_return_if_fail (FCM_IS_CONTEXT_ITEM (self));
  _fcm_context_item_update_str (self, &self->version_id, version_id, PROP_VERSION_ID);
}

void
_fcm_context_item_set_current (FcmContextItem *self,
                               gboolean        current)
{
  g_return_if_fail (FCM_IS_CONTEXT_ITEM (self));

  current = !!current;
  if (self->current != current)
    {
      self->current = current;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
    }
}

void
_fcm_context_item_set_stale (FcmContextItem *self,
                             gboolean        stale)
{
  g_return_if_fail (FCM_IS_CONTEXT_ITEM (self));

  stale = !!stale;
  if (self->stale != stale)
    {
      self->stale = stale;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
    }
}

void
_fcm_context_item_set_selection (FcmContextItem *self,
                                 GStrv           selection)
{
  g_return_if_fail (FCM_IS_CONTEXT_ITEM (self));

  if (self->selection == NULL && selection == NULL)
    return;
  if (self->selection && selection && g_strv_equal ((const char * const *) self->selection,
                                                    (const char * const *) selection))
    return;

  g_strfreev (self->selection);
  self->selection = g_strdupv (selection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTION]);
}

/**
 * _fcm_context_item_put_content:
 * @reference: "Type/id"
 * @doc: the document @resource is in (a reference is taken)
 * @resource: the resource, an object
 *
 * Adds or replaces shared content. A PUT of the anchor report itself also
 * updates the report status (C-57: status changes travel as updates).
 */
void
_fcm_context_item_put_content (FcmContextItem *self,
                               const char     *reference,
                               FcmDoc         *doc,
                               const FcmJson  *resource)
{
  Content *content;
  gsize type_len;

  g_return_if_fail (FCM_IS_CONTEXT_ITEM (self));
  g_return_if_fail (reference != NULL);
  g_return_if_fail (doc != NULL);
  g_return_if_fail (fcm_doc_is_object (resource));

  content = g_new0 (Content, 1);
  content->doc = fcm_doc_ref (doc);
  content->resource = resource;

  if (!g_hash_table_contains (self->content, reference))
    {
      g_ptr_array_add (self->content_order, g_strdup (reference));
      g_hash_table_insert (self->content, g_strdup (reference), content);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONTENT]);
    }
  else
    {
      g_hash_table_insert (self->content, g_strdup (reference), content);
    }

  /* reference == anchor_type "/" anchor_id */
  type_len = strlen (self->anchor_type);
  if (strncmp (reference, self->anchor_type, type_len) == 0 && reference[type_len] == '/' &&
      g_strcmp0 (reference + type_len + 1, self->anchor_id) == 0)
    _fcm_context_item_update_str (self, &self->report_status,
                                  fcm_doc_get_string (resource, "status"), PROP_REPORT_STATUS);
}

gboolean
_fcm_context_item_delete_content (FcmContextItem *self,
                                  const char     *reference)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), FALSE);

  if (!g_hash_table_remove (self->content, reference))
    return FALSE;

  for (guint i = 0; i < self->content_order->len; i++)
    if (g_str_equal (g_ptr_array_index (self->content_order, i), reference))
      {
        g_ptr_array_remove_index (self->content_order, i);
        break;
      }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONTENT]);
  return TRUE;
}

void
_fcm_context_item_clear_content (FcmContextItem *self)
{
  g_return_if_fail (FCM_IS_CONTEXT_ITEM (self));

  if (g_hash_table_size (self->content) == 0)
    return;

  g_hash_table_remove_all (self->content);
  g_ptr_array_set_size (self->content_order, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CONTENT]);
}

const char *
fcm_context_item_get_anchor_type (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->anchor_type;
}

const char *
fcm_context_item_get_anchor_id (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->anchor_id;
}

const char *
fcm_context_item_get_report_status (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->report_status;
}

const char *
fcm_context_item_get_patient_id (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->patient_id;
}

const char *
fcm_context_item_get_patient_name (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->patient_name;
}

/**
 * fcm_context_item_get_patient_sex:
 *
 * Returns: (nullable): Patient.gender as sent (male, female, other, unknown)
 */
const char *
fcm_context_item_get_patient_sex (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->patient_sex;
}

/**
 * fcm_context_item_get_birth_date:
 *
 * Returns: (nullable): Patient.birthDate as sent
 */
const char *
fcm_context_item_get_birth_date (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->birth_date;
}

const char *
fcm_context_item_get_mrn (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->mrn;
}

const char *
fcm_context_item_get_study_id (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->study_id;
}

const char *
fcm_context_item_get_study_uid (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->study_uid;
}

const char *
fcm_context_item_get_accession (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->accession;
}

const char *
fcm_context_item_get_study_description (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->study_description;
}

/**
 * fcm_context_item_get_modality:
 *
 * Returns: (nullable): the study's modality codes, several joined with a backslash
 */
const char *
fcm_context_item_get_modality (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->modality;
}

/**
 * fcm_context_item_get_study_date:
 *
 * Returns: (nullable): ImagingStudy.started as sent
 */
const char *
fcm_context_item_get_study_date (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->study_date;
}

const char *
fcm_context_item_get_version_id (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->version_id;
}

const char *
fcm_context_item_get_opened_by (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return self->opened_by;
}

gboolean
fcm_context_item_get_current (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), FALSE);
  return self->current;
}

gboolean
fcm_context_item_get_stale (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), FALSE);
  return self->stale;
}

/**
 * fcm_context_item_get_selection:
 *
 * Returns: (nullable) (transfer none): references ("Type/id") of the
 *   selected items, or %NULL when nothing is selected (C-34)
 */
const char * const *
fcm_context_item_get_selection (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);
  return (const char * const *) self->selection;
}

/**
 * fcm_context_item_get_context:
 *
 * Returns: (transfer none): the context array of the open that created or
 *   last resumed this context (H-30: not rewritten by updates)
 */
JsonArray *
fcm_context_item_get_context (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);

  /* made on the first call: the store keeps the open's document */
  if (self->context == NULL && self->context_doc != NULL)
    {
      g_autoptr(JsonNode) node = fcm_doc_to_node (self->context_doc);

      self->context = json_array_ref (json_node_get_array (node));
    }
  else if (self->context == NULL)
    {
      self->context = json_array_new ();
    }
  return self->context;
}

guint
fcm_context_item_get_n_content (FcmContextItem *self)
{
  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), 0);
  return g_hash_table_size (self->content);
}

/**
 * fcm_context_item_lookup_content:
 * @reference: "Type/id"
 *
 * Returns: (transfer none) (nullable): the shared resource
 */
JsonObject *
fcm_context_item_lookup_content (FcmContextItem *self,
                                 const char     *reference)
{
  Content *content;

  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);

  content = g_hash_table_lookup (self->content, reference);
  return content != NULL ? content_get_object (content) : NULL;
}

/**
 * fcm_context_item_dup_content_bundle:
 *
 * Returns: (transfer full): the content as a Bundle of type `collection`
 *   without `request` members (H-29)
 */
JsonNode *
fcm_context_item_dup_content_bundle (FcmContextItem *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (FCM_IS_CONTEXT_ITEM (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "resourceType");
  json_builder_add_string_value (builder, "Bundle");
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "collection");
  json_builder_set_member_name (builder, "entry");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->content_order->len; i++)
    {
      const char *ref = g_ptr_array_index (self->content_order, i);
      JsonNode *res = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (res, content_get_object (g_hash_table_lookup (self->content, ref)));
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "fullUrl");
      json_builder_add_string_value (builder, ref);
      json_builder_set_member_name (builder, "resource");
      json_builder_add_value (builder, res);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
