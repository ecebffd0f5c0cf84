package dev.bourse.gateway;

/** Tags and constants beyond the FIX 4.4 standard that the gateway uses (see docs/PROTOCOL.md). */
final class GatewayTags
{
    /**
     * SelfMatchPreventionInstruction, borrowed from FIX 5.0 SP2 (tag 2964) on NewOrderSingle:
     * 1 cancel aggressor, 2 cancel resting, 3 cancel both; and 0 (our extension) none. Absent:
     * the account's default.
     */
    static final int SELF_TRADE_PREVENTION = 2964;

    /**
     * CancelOnDisconnect on Logon (our tag in the user-defined range): Y cancels the session's
     * resting orders when its connection drops, N keeps them. Absent: the gateway's setting.
     */
    static final int CANCEL_ON_DISCONNECT = 8013;

    static final byte[] TEST_REQ_ID = "TEST".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final byte[] NONE = "NONE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private GatewayTags()
    {
    }
}
