package dev.bourse.readmodels;

/**
 * What the query API reads of an HTTP request, independent of the server library.
 *
 * @param method        GET, HEAD, POST, ...
 * @param rawPath       the path, still percent-encoded
 * @param rawQuery      the query string, still percent-encoded; null if none
 * @param authorization the Authorization header; null if none
 */
public record ApiRequest(String method, String rawPath, String rawQuery, String authorization)
{
}
