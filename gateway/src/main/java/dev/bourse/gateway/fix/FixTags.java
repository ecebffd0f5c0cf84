package dev.bourse.gateway.fix;

/**
 * The FIX 4.4 tags, message types and enumerated values the gateway reads or writes, by name
 * (docs/PROTOCOL.md lists how each is used). Tags outside the standard are marked.
 */
public final class FixTags
{
    // ------------------------------------------------------------------ header and trailer
    public static final int BEGIN_STRING = 8;
    public static final int BODY_LENGTH = 9;
    public static final int CHECKSUM = 10;
    public static final int MSG_TYPE = 35;
    public static final int SENDER_COMP_ID = 49;
    public static final int TARGET_COMP_ID = 56;
    /** Third-party routing: the firm a message is for beyond the exchange; the exchange routes to none. */
    public static final int DELIVER_TO_COMP_ID = 128;
    public static final int MSG_SEQ_NUM = 34;
    public static final int POSS_DUP_FLAG = 43;
    public static final int POSS_RESEND = 97;
    public static final int SENDING_TIME = 52;
    public static final int ORIG_SENDING_TIME = 122;

    // ------------------------------------------------------------------ session messages
    public static final int BEGIN_SEQ_NO = 7;
    public static final int END_SEQ_NO = 16;
    public static final int NEW_SEQ_NO = 36;
    public static final int REF_SEQ_NUM = 45;
    public static final int TEXT = 58;
    public static final int ENCRYPT_METHOD = 98;
    public static final int HEART_BT_INT = 108;
    public static final int TEST_REQ_ID = 112;
    public static final int GAP_FILL_FLAG = 123;
    public static final int RESET_SEQ_NUM_FLAG = 141;
    public static final int REF_TAG_ID = 371;
    public static final int REF_MSG_TYPE = 372;
    public static final int SESSION_REJECT_REASON = 373;
    public static final int BUSINESS_REJECT_REF_ID = 379;
    public static final int BUSINESS_REJECT_REASON = 380;
    public static final int USERNAME = 553;
    public static final int PASSWORD = 554;

    // ------------------------------------------------------------------ application messages
    public static final int AVG_PX = 6;
    /** The account an order is for; a session trades for its user's one account, so it may only name that one. */
    public static final int ACCOUNT = 1;
    public static final int CL_ORD_ID = 11;
    public static final int CUM_QTY = 14;
    public static final int EXEC_ID = 17;
    public static final int EXEC_INST = 18;
    /** Not supported: an order with a MinQty above 0 is refused, never traded as if it had none. */
    public static final int MIN_QTY = 110;
    public static final int LAST_PX = 31;
    public static final int LAST_QTY = 32;
    public static final int ORDER_ID = 37;
    public static final int ORDER_QTY = 38;
    public static final int ORD_STATUS = 39;
    public static final int ORD_TYPE = 40;
    public static final int ORIG_CL_ORD_ID = 41;
    public static final int PRICE = 44;
    public static final int SIDE = 54;
    public static final int SYMBOL = 55;
    public static final int TIME_IN_FORCE = 59;
    public static final int TRANSACT_TIME = 60;

    /** The values FIX 4.4 defines for Side (54), OrdType (40) and TimeInForce (59). */
    public static final String FIX44_SIDES = "123456789ABCDEFG";
    public static final String FIX44_ORD_TYPES = "123456789ABCDEFGHIJKLMP";
    public static final String FIX44_TIMES_IN_FORCE = "01234567";
    public static final String FIX44_MASS_CANCEL_REQUEST_TYPES = "1234567";
    public static final int STOP_PX = 99;
    public static final int MAX_FLOOR = 111;
    /** FIX 5.0's name for the iceberg peak, taken here as MaxFloor (111) is. */
    public static final int DISPLAY_QTY = 1138;
    public static final int EXPIRE_TIME = 126;
    public static final int EXPIRE_DATE = 432;
    public static final int LAST_LIQUIDITY_IND = 851;
    public static final int EXEC_RESTATEMENT_REASON = 378;
    public static final int TRADING_SESSION_SUB_ID = 625;
    public static final int CXL_REJ_REASON = 102;
    public static final int ORD_REJ_REASON = 103;
    /** An OrderStatusRequest's id, echoed on its answer. */
    public static final int ORD_STATUS_REQ_ID = 790;
    public static final int EXEC_TYPE = 150;
    public static final int LEAVES_QTY = 151;
    public static final int CXL_REJ_RESPONSE_TO = 434;
    public static final int MASS_CANCEL_REQUEST_TYPE = 530;
    public static final int MASS_CANCEL_RESPONSE = 531;
    public static final int MASS_CANCEL_REJECT_REASON = 532;
    public static final int TOTAL_AFFECTED_ORDERS = 533;

    /**
     * SelfMatchPreventionInstruction, borrowed from FIX 5.0 SP2 (tag 2964) on NewOrderSingle:
     * 1 cancel aggressor, 2 cancel resting, 3 cancel both; and 0 (our extension) none. Absent:
     * the account's default.
     */
    public static final int SELF_MATCH_PREVENTION = 2964;

    /**
     * CancelOnDisconnect on Logon (ours, in the user-defined range): Y cancels the session's
     * resting orders when its connection drops, N keeps them. Absent: the gateway's setting.
     */
    public static final int CANCEL_ON_DISCONNECT = 8013;

    // ------------------------------------------------------------------ message types (35)
    public static final byte HEARTBEAT = '0';
    public static final byte TEST_REQUEST = '1';
    public static final byte RESEND_REQUEST = '2';
    public static final byte REJECT = '3';
    public static final byte SEQUENCE_RESET = '4';
    public static final byte LOGOUT = '5';
    public static final byte EXECUTION_REPORT = '8';
    public static final byte ORDER_CANCEL_REJECT = '9';
    public static final byte LOGON = 'A';
    public static final byte NEW_ORDER_SINGLE = 'D';
    public static final byte ORDER_CANCEL_REQUEST = 'F';
    public static final byte ORDER_CANCEL_REPLACE_REQUEST = 'G';
    public static final byte ORDER_STATUS_REQUEST = 'H';
    public static final byte BUSINESS_MESSAGE_REJECT = 'j';
    public static final byte ORDER_MASS_CANCEL_REQUEST = 'q';
    public static final byte ORDER_MASS_CANCEL_REPORT = 'r';

    /** The order messages the exchange takes: NewOrderSingle, cancel, replace, mass cancel, status. */
    public static boolean isOrderMessage(final byte type)
    {
        return type == NEW_ORDER_SINGLE || type == ORDER_CANCEL_REQUEST || type == ORDER_CANCEL_REPLACE_REQUEST ||
            type == ORDER_MASS_CANCEL_REQUEST || type == ORDER_STATUS_REQUEST;
    }

    /** The session messages: Heartbeat to Logout, and Logon. */
    public static boolean isSessionMessage(final byte type)
    {
        return (type >= HEARTBEAT && type <= LOGOUT) || type == LOGON;
    }

    // ------------------------------------------------------------------ SessionRejectReason (373)
    public static final int REJECT_INVALID_TAG_NUMBER = 0;
    public static final int REJECT_REQUIRED_TAG_MISSING = 1;
    public static final int REJECT_VALUE_INCORRECT = 5;
    public static final int REJECT_INCORRECT_DATA_FORMAT = 6;
    public static final int REJECT_COMP_ID_PROBLEM = 9;
    public static final int REJECT_SENDING_TIME_ACCURACY = 10;
    public static final int REJECT_INVALID_MSG_TYPE = 11;
    public static final int REJECT_TAG_WITHOUT_VALUE = 4;
    public static final int REJECT_TAG_ORDER = 14;
    public static final int REJECT_TAG_APPEARS_MORE_THAN_ONCE = 13;
    public static final int REJECT_INCORRECT_NUM_IN_GROUP = 16;
    public static final int REJECT_OTHER = 99;

    // ------------------------------------------------------------------ BusinessRejectReason (380)
    public static final int BUSINESS_REJECT_OTHER = 0;
    public static final int BUSINESS_REJECT_UNKNOWN_SECURITY = 2;
    public static final int BUSINESS_REJECT_UNSUPPORTED_MESSAGE_TYPE = 3;
    public static final int BUSINESS_REJECT_DELIVER_TO_FIRM_NOT_AVAILABLE = 7;

    private FixTags()
    {
    }
}
