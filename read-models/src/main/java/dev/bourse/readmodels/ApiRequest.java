package dev.bourse.readmodels;

/**
 * What the query API reads of an HTTP request, independent of the server library.
 *
 * @param method        GET, HEAD, POST, ...
 * @param rawPath       the path, still percent-encoded
 * @param rawQuery      the query string, still percent-encoded; null if none
 * @param authorization the Authorization header; null if none
 * @param remoteAddress the client's address (for the logon lockout); null if unknown
 * @param formBody      an application/x-www-form-urlencoded body (admin actions), still encoded; null if none
 * @param unreadBodyType the Content-Type ("" if absent) of a body of another kind, which nothing reads; null if none
 * @param bodyProblem   why a form body could not be read (not UTF-8), for the API's 400 once the credentials are
 *                      checked; null if none
 */
public record ApiRequest(String method, String rawPath, String rawQuery, String authorization, String remoteAddress, String formBody,
    String unreadBodyType, String bodyProblem)
{
    public ApiRequest(final String method, final String rawPath, final String rawQuery, final String authorization)
    {
        this(method, rawPath, rawQuery, authorization, null, null, null, null);
    }
}
