/* fcm-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FCM_ERROR (fcm_error_quark ())

/**
 * FcmError:
 * @FCM_ERROR_INVALID_JSON: the text is not JSON (syntax error, truncated)
 * @FCM_ERROR_INVALID_UTF8: the text is not valid UTF-8
 * @FCM_ERROR_TOO_LARGE: the text exceeds the size limit
 * @FCM_ERROR_TOO_DEEP: the JSON nests deeper than the limit
 * @FCM_ERROR_INVALID_MESSAGE: JSON, but not the expected FHIRcast shape
 * @FCM_ERROR_NOT_FOUND: an unknown topic, endpoint or context
 * @FCM_ERROR_CONFLICT: the request conflicts with the current state (HTTP 409)
 * @FCM_ERROR_STALE_VERSION: a content version does not match
 * @FCM_ERROR_REFUSED: a peer refused a request (HTTP 4xx/5xx)
 * @FCM_ERROR_DENIED: the hub denied a subscription
 * @FCM_ERROR_TIMEOUT: no answer in time
 * @FCM_ERROR_IO: reading or writing failed
 * @FCM_ERROR_UNAUTHORIZED: missing or wrong credentials (HTTP 401)
 * @FCM_ERROR_INSECURE: plain http:// or ws:// to a host that is not this
 *   machine, without an explicit permission to do so
 */
typedef enum
{
  FCM_ERROR_INVALID_JSON,
  FCM_ERROR_INVALID_UTF8,
  FCM_ERROR_TOO_LARGE,
  FCM_ERROR_TOO_DEEP,
  FCM_ERROR_INVALID_MESSAGE,
  FCM_ERROR_NOT_FOUND,
  FCM_ERROR_CONFLICT,
  FCM_ERROR_STALE_VERSION,
  FCM_ERROR_REFUSED,
  FCM_ERROR_DENIED,
  FCM_ERROR_TIMEOUT,
  FCM_ERROR_IO,
  FCM_ERROR_UNAUTHORIZED,
  FCM_ERROR_INSECURE,
} FcmError;

GQuark fcm_error_quark (void);

G_END_DECLS
