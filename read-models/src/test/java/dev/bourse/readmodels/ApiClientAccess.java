package dev.bourse.readmodels;

/** For tests in other packages: a GET on the query API that must answer 200. */
public final class ApiClientAccess
{
    private ApiClientAccess()
    {
    }

    public static String get(final int port, final String pathAndQuery)
    {
        final java.net.http.HttpResponse<String> response = new ApiClient(port).get(pathAndQuery, null);
        if (response.statusCode() != 200)
        {
            throw new AssertionError(pathAndQuery + " -> " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** A bearer token for a user, from {@code POST auth/token} with the password. */
    public static String token(final int port, final String user, final String password)
    {
        final java.net.http.HttpResponse<String> response =
            new ApiClient(port).send("POST", "/api/v1/auth/token", ApiClient.basic(user, password));
        if (response.statusCode() != 200)
        {
            throw new AssertionError("token for " + user + " -> " + response.statusCode() + " " + response.body());
        }
        return ApiClient.stringField(response.body(), "token");
    }
}
