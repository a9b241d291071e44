// Typed, non-variadic wrappers around libcurl's variadic entry points, for Swift.
//
// Swift cannot call C variadic functions, so every `curl_easy_setopt` / `curl_easy_getinfo` /
// `curl_multi_setopt` call goes through one of these `static inline` shims. They are prefixed
// `tk_` so they never collide with another module that ships the same idea under curl-like names.
// Each shim fixes the argument type, so pass an option only to the shim of its documented type.
#ifndef TIKTOKKIT_CCURL_H
#define TIKTOKKIT_CCURL_H

#include <curl/curl.h>

typedef size_t (*tk_data_callback)(char *_Nonnull buffer, size_t size, size_t nitems, void *_Nullable userdata);
typedef int (*tk_xferinfo_callback)(void *_Nullable userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
typedef int (*tk_seek_callback)(void *_Nullable userdata, curl_off_t offset, int origin);

// MARK: easy handle options

static inline CURLcode tk_easy_setopt_long(CURL *_Nonnull handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tk_easy_setopt_off_t(CURL *_Nonnull handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tk_easy_setopt_string(CURL *_Nonnull handle, CURLoption option, const char *_Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tk_easy_setopt_pointer(CURL *_Nonnull handle, CURLoption option, void *_Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode tk_easy_setopt_slist(CURL *_Nonnull handle, CURLoption option, struct curl_slist *_Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

// Callbacks are set together with their userdata so neither can be forgotten.

static inline CURLcode tk_easy_set_read_callback(CURL *_Nonnull handle, void *_Nullable userdata, tk_data_callback _Nonnull callback) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_READDATA, userdata);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

static inline CURLcode tk_easy_set_write_callback(CURL *_Nonnull handle, void *_Nullable userdata, tk_data_callback _Nonnull callback) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_WRITEDATA, userdata);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode tk_easy_set_header_callback(CURL *_Nonnull handle, void *_Nullable userdata, tk_data_callback _Nonnull callback) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_HEADERDATA, userdata);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

static inline CURLcode tk_easy_set_seek_callback(CURL *_Nonnull handle, void *_Nullable userdata, tk_seek_callback _Nonnull callback) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_SEEKDATA, userdata);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, callback);
}

static inline CURLcode tk_easy_set_xferinfo_callback(CURL *_Nonnull handle, void *_Nullable userdata, tk_xferinfo_callback _Nonnull callback) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_XFERINFODATA, userdata);
    if (code != CURLE_OK) return code;
    code = curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
}

/// Restricts a handle to HTTP and HTTPS, whichever option this libcurl understands.
static inline CURLcode tk_easy_restrict_to_http(CURL *_Nonnull handle) {
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    return curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    return curl_easy_setopt(handle, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
}

// MARK: easy handle info

static inline CURLcode tk_easy_getinfo_long(CURL *_Nonnull handle, CURLINFO info, long *_Nonnull value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode tk_easy_getinfo_off_t(CURL *_Nonnull handle, CURLINFO info, curl_off_t *_Nonnull value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode tk_easy_getinfo_pointer(CURL *_Nonnull handle, CURLINFO info, void *_Nullable *_Nonnull value) {
    return curl_easy_getinfo(handle, info, value);
}

// MARK: multi handle

static inline CURLMcode tk_multi_setopt_long(CURLM *_Nonnull handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

// Return values and constants that are macros with casts, which Swift does not import.
static const size_t tk_readfunc_abort = CURL_READFUNC_ABORT;
static const int tk_seekfunc_ok = CURL_SEEKFUNC_OK;
static const int tk_seekfunc_fail = CURL_SEEKFUNC_FAIL;
static const long tk_global_all = CURL_GLOBAL_ALL;

#endif
