package dev.bourse.journal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Chronicle's own "disk almost full, the JVM may crash" monitor is off unless the command line says otherwise. */
class ChronicleDiskMonitorTest
{
    @Test
    void offByDefaultAndAValueGivenWins()
    {
        final String before = System.getProperty(ChronicleDiskMonitor.DISABLE_PROPERTY);
        try
        {
            System.clearProperty(ChronicleDiskMonitor.DISABLE_PROPERTY);
            ChronicleDiskMonitor.disableUnlessConfigured();
            assertEquals("true", System.getProperty(ChronicleDiskMonitor.DISABLE_PROPERTY));

            System.setProperty(ChronicleDiskMonitor.DISABLE_PROPERTY, "false");
            ChronicleDiskMonitor.disableUnlessConfigured();
            assertEquals("false", System.getProperty(ChronicleDiskMonitor.DISABLE_PROPERTY));
        }
        finally
        {
            if (before == null)
            {
                System.clearProperty(ChronicleDiskMonitor.DISABLE_PROPERTY);
            }
            else
            {
                System.setProperty(ChronicleDiskMonitor.DISABLE_PROPERTY, before);
            }
        }
    }
}
