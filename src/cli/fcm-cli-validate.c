/* fcm-cli-validate.c: `fhircast validate [--ndjson] FILE… | -`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "fcm-fhircast.h"
#include "fcm-cli-private.h"
#include "fcm-json-private.h"

static gboolean opt_json;
static gboolean opt_ndjson;
static char *opt_role;
static char **opt_files;

static const GOptionEntry entries[] = {
  { "json", 'j', 0, G_OPTION_ARG_NONE, &opt_json,
    N_("Print one JSON object per file, one per line (NDJSON); with --ndjson, one per message"), NULL },
  { "ndjson", 'n', 0, G_OPTION_ARG_NONE, &opt_ndjson,
    N_("Read each FILE as NDJSON: one message per line (a recorded stream); blank lines are "
       "skipped"), NULL },
  { "role", 'r', 0, G_OPTION_ARG_STRING, &opt_role,
    N_("Read messages as a “request” (client to hub), a “notification” (hub to client) "
       "or “any” (default: infer)"), N_("ROLE") },
  /* no arg_description: the parameter string of the context says it once */
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt_files, NULL, NULL },
  { NULL }
};

/* Reads a whole file, or standard input for "-". The CLI may block: it is
 * a one-shot command, not the GUI main loop. */
static char *
read_input (const char  *path,
            gsize       *length,
            GError     **error)
{
  if (g_strcmp0 (path, "-") == 0)
    {
      g_autoptr(GByteArray) buf = g_byte_array_new ();
      guint8 chunk[8192];
      size_t n;

      while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
        {
          if (buf->len + n > FCM_JSON_MAX_BYTES)
            {
              g_set_error (error, FCM_ERROR, FCM_ERROR_TOO_LARGE,
                           _("Standard input is larger than %d bytes"), FCM_JSON_MAX_BYTES);
              return NULL;
            }
          g_byte_array_append (buf, chunk, n);
        }

      if (ferror (stdin))
        {
          g_set_error_literal (error, FCM_ERROR, FCM_ERROR_IO, _("Could not read standard input"));
          return NULL;
        }

      *length = buf->len;
      g_byte_array_append (buf, (const guint8 *) "", 1);
      return (char *) g_byte_array_free (g_steal_pointer (&buf), FALSE);
    }

  {
    char *contents = NULL;

    if (!g_file_get_contents (path, &contents, length, error))
      return NULL;
    return contents;
  }
}

static void
print_text_result (const char     *path,
                   FcmMessageKind  kind,
                   GPtrArray      *issues)
{
  if (issues->len == 0)
    {
      printf (_("%s: valid (%s)\n"), path, fcm_message_kind_to_string (kind));
      return;
    }

  for (guint i = 0; i < issues->len; i++)
    {
      FcmIssue *issue = g_ptr_array_index (issues, i);

      printf ("%s: %s %s %s: %s\n", path,
              fcm_severity_to_string (fcm_issue_get_severity (issue)),
              fcm_issue_get_rule_id (issue),
              fcm_issue_get_path (issue) ? fcm_issue_get_path (issue) : "$",
              fcm_issue_get_message (issue));
    }

  printf (fcm_issues_have_errors (issues) ? _("%s: invalid (%s)\n")
                                          : _("%s: valid with warnings (%s)\n"),
          path, fcm_message_kind_to_string (kind));
}

/* --json: one object per file, each on its own line (NDJSON, as every other
 * command prints JSON) */
static void
print_json_result (const char     *path,
                   guint64         line,
                   FcmMessageKind  kind,
                   GPtrArray      *issues,
                   const char     *read_error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *out = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, path);
  if (line > 0)
    {
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, (gint64) line);
    }

  if (read_error != NULL)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, read_error);
    }
  else
    {

      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, fcm_message_kind_to_string (kind));
      json_builder_set_member_name (builder, "valid");
      json_builder_add_boolean_value (builder, !fcm_issues_have_errors (issues));
      json_builder_set_member_name (builder, "issues");
      json_builder_begin_array (builder);
      for (guint i = 0; i < issues->len; i++)
        json_builder_add_value (builder, fcm_issue_to_json (g_ptr_array_index (issues, i)));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  out = fcm_json_to_string (root, FALSE);
  printf ("%s\n", out);
}

/* ------------------------------------------------------------------ NDJSON */

/* Lines of a file read 64 KiB at a time (a getc() per byte was a fifth
 * of `validate --ndjson`'s time). */
typedef struct
{
  FILE  *in;
  char   buf[64 * 1024];
  gsize  pos;
  gsize  len;
} LineReader;

/* Reads the next line into @line, without its "\n" (nor a "\r" before
 * it). A line longer than a message may be is read to its end but only
 * its start is kept; *@out_length is its full length. Returns FALSE at
 * the end of the input. */
static gboolean
read_line (LineReader *reader,
           GString    *line,
           guint64    *out_length)
{
  guint64 length = 0;
  gboolean newline = FALSE;

  g_string_truncate (line, 0);

  while (!newline)
    {
      const char *start, *nl;
      gsize n;

      if (reader->pos == reader->len)
        {
          reader->pos = 0;
          reader->len = fread (reader->buf, 1, sizeof reader->buf, reader->in);
          if (reader->len == 0)
            break;
        }
      start = reader->buf + reader->pos;
      nl = memchr (start, '\n', reader->len - reader->pos);
      n = nl != NULL ? (gsize) (nl - start) : reader->len - reader->pos;
      if (line->len < FCM_JSON_MAX_BYTES)
        g_string_append_len (line, start, MIN (n, FCM_JSON_MAX_BYTES - line->len));
      length += n;
      reader->pos += n;
      if (nl != NULL)
        {
          reader->pos++;
          newline = TRUE;
        }
    }

  *out_length = length;
  if (!newline && length == 0)
    return FALSE;
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  return TRUE;
}

static gboolean
is_blank (const GString *line)
{
  for (gsize i = 0; i < line->len; i++)
    if (!g_ascii_isspace (line->str[i]))
      return FALSE;
  return TRUE;
}

/* Validates every non-blank line of @path ("-": standard input) as one
 * message; issues are reported as PATH:LINE. Returns FALSE when @path
 * cannot be read, with @error set; *@out_invalid when a line has errors. */
static gboolean
validate_ndjson (FcmValidator  *validator,
                 const char    *path,
                 gboolean      *out_invalid,
                 GError       **error)
{
  g_autoptr(GString) line = g_string_sized_new (4096);
  g_autofree LineReader *reader = g_new (LineReader, 1);
  FILE *in = g_strcmp0 (path, "-") == 0 ? stdin : fopen (path, "r");
  guint64 number = 0;
  guint64 length;

  if (in == NULL)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s", g_strerror (saved));
      return FALSE;
    }

  reader->in = in;
  reader->pos = reader->len = 0;
  while (read_line (reader, line, &length))
    {
      g_autoptr(GPtrArray) issues = NULL;
      g_autofree char *where = NULL;
      FcmMessageKind kind = FCM_MESSAGE_UNKNOWN;

      number++;
      if (length > FCM_JSON_MAX_BYTES)
        {
          g_autofree char *message =
            g_strdup_printf (_("JSON text is %llu bytes, more than the limit of %d bytes"),
                             (unsigned long long) length, FCM_JSON_MAX_BYTES);

          issues = g_ptr_array_new_with_free_func (g_object_unref);
          g_ptr_array_add (issues, fcm_issue_new (FCM_SEVERITY_ERROR, "JSON", "$", message));
        }
      else if (is_blank (line))
        continue;
      else
        issues = fcm_validator_validate_text (validator, line->str, (gssize) line->len, &kind);
      if (fcm_issues_have_errors (issues))
        *out_invalid = TRUE;

      if (opt_json)
        print_json_result (path, number, kind, issues, NULL);
      else
        {
          where = g_strdup_printf ("%s:%" G_GUINT64_FORMAT, path, number);
          print_text_result (where, kind, issues);
        }
    }

  if (ferror (in))
    {
      g_set_error_literal (error, FCM_ERROR, FCM_ERROR_IO, _("Read error"));
      if (in != stdin)
        fclose (in);
      return FALSE;
    }
  if (in != stdin)
    fclose (in);
  return TRUE;
}

int
fcm_cli_validate (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmValidator) validator = NULL;
  gboolean any_invalid = FALSE;
  gboolean any_unreadable = FALSE;

  g_set_prgname ("fhircast validate");
  context = g_option_context_new (_("FILE… | -"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Checks FHIRcast messages (events, requests, acks, subscription frames, current-context\n"
      "answers) against FHIRcast STU3 and IHE IRA. Each issue is printed with its rule id\n"
      "(C-xx client rules, H-xx hub rules) and JSON path."));
  g_option_context_set_description (context,
    _("Examples:\n"
      "  fhircast validate open.json\n"
      "  fhircast validate --json tests/data/vectors/*.json | jq -c 'select(.valid | not)'\n"
      "  fhircast validate --ndjson recorded.ndjson\n"
      "  curl -s http://127.0.0.1:8080/fhircast/demo | fhircast validate -\n\n"
      "Exit status: 0 valid (warnings allowed), 1 invalid, 2 unreadable input, 64 bad command line."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "fhircast validate: %s\n", error->message);
      return FCM_CLI_EXIT_USAGE;
    }

  if (opt_files == NULL || opt_files[0] == NULL)
    {
      fprintf (stderr, "%s\n", _("fhircast validate: no FILE given (use “-” for standard input)"));
      return FCM_CLI_EXIT_USAGE;
    }

  validator = fcm_validator_new ();
  if (opt_role == NULL || g_str_equal (opt_role, "any"))
    fcm_validator_set_role (validator, FCM_VALIDATOR_ROLE_ANY);
  else if (g_str_equal (opt_role, "request"))
    fcm_validator_set_role (validator, FCM_VALIDATOR_ROLE_REQUEST);
  else if (g_str_equal (opt_role, "notification"))
    fcm_validator_set_role (validator, FCM_VALIDATOR_ROLE_NOTIFICATION);
  else
    {
      fprintf (stderr, _("fhircast validate: unknown role “%s” (use request, notification or any)\n"),
               opt_role);
      return FCM_CLI_EXIT_USAGE;
    }

  if (opt_ndjson)
    {
      for (guint i = 0; opt_files[i] != NULL; i++)
        {
          g_autoptr(GError) read_error = NULL;

          if (!validate_ndjson (validator, opt_files[i], &any_invalid, &read_error))
            {
              any_unreadable = TRUE;
              fprintf (stderr, _("fhircast validate: cannot read %s: %s\n"), opt_files[i],
                       read_error->message);
            }
        }
      fflush (stdout);
      g_clear_pointer (&opt_files, g_strfreev);
      g_clear_pointer (&opt_role, g_free);
      return any_unreadable ? FCM_CLI_EXIT_UNREADABLE
                            : any_invalid ? FCM_CLI_EXIT_INVALID : FCM_CLI_EXIT_OK;
    }

  for (guint i = 0; opt_files[i] != NULL; i++)
    {
      const char *path = opt_files[i];
      g_autoptr(GError) read_error = NULL;
      g_autoptr(GPtrArray) issues = NULL;
      g_autofree char *text = NULL;
      FcmMessageKind kind = FCM_MESSAGE_UNKNOWN;
      gsize length = 0;

      if (!(text = read_input (path, &length, &read_error)))
        {
          any_unreadable = TRUE;
          fprintf (stderr, _("fhircast validate: cannot read %s: %s\n"), path, read_error->message);
          if (opt_json)
            print_json_result (path, 0, kind, NULL, read_error->message);
          continue;
        }

      issues = fcm_validator_validate_text (validator, text, length, &kind);
      if (fcm_issues_have_errors (issues))
        any_invalid = TRUE;

      if (opt_json)
        print_json_result (path, 0, kind, issues, NULL);
      else
        print_text_result (path, kind, issues);
    }

  g_clear_pointer (&opt_files, g_strfreev);
  g_clear_pointer (&opt_role, g_free);

  if (any_unreadable)
    return FCM_CLI_EXIT_UNREADABLE;
  if (any_invalid)
    return FCM_CLI_EXIT_INVALID;
  return FCM_CLI_EXIT_OK;
}
