package dev.speckitty.cli.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ServiceInstallerTest {
    /** The real templates shipped in the distribution. */
    private static final Path TEMPLATES = Path.of("../packaging/src/service");

    @TempDir
    Path tmp;

    private Path appHome;
    private Path userHome;
    private Path skHome;
    private final List<List<String>> ran = new ArrayList<>();

    @BeforeEach
    void layOutInstallation() throws Exception {
        // A path with a space and a percent sign: both need escaping in a unit file.
        appHome = Files.createDirectories(tmp.resolve("opt/spec kitty 100%"));
        Files.createDirectories(appHome.resolve("bin"));
        Path launcher = Files.writeString(appHome.resolve("bin/spec-kitty"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path service = Files.createDirectories(appHome.resolve("service"));
        for (ServiceKind kind : ServiceKind.values()) {
            Files.copy(TEMPLATES.resolve(kind.fileName()), service.resolve(kind.fileName()));
        }
        userHome = Files.createDirectories(tmp.resolve("home/ada"));
        skHome = userHome.resolve(".spec-kitty");
    }

    private ServiceInstaller installer(ServiceKind kind) {
        return new ServiceInstaller(kind, appHome, skHome, userHome, Map.of(), command -> {
            ran.add(command);
            return Optional.empty();
        });
    }

    @Test
    void systemdUnitGoesToTheUserUnitDirectoryAndNamesTheLauncher() {
        ServiceInstaller installer = installer(ServiceKind.SYSTEMD);
        assertEquals(userHome.resolve(".config/systemd/user/spec-kitty-sync.service"), installer.target());
        String unit = installer.render();
        assertTrue(unit.contains("ExecStart=\"" + appHome.toString().replace("%", "%%") + "/bin/spec-kitty\" daemon run"), unit);
        assertTrue(unit.contains("Environment=\"SPEC_KITTY_HOME=" + skHome + "\""), unit);
        assertTrue(unit.contains("Restart=on-failure"), unit);
        assertTrue(unit.contains("StandardOutput=journal"), unit);
    }

    @Test
    void xdgConfigHomeMovesTheSystemdDirectory() {
        Path xdg = tmp.resolve("xdg");
        ServiceInstaller installer = new ServiceInstaller(ServiceKind.SYSTEMD, appHome, skHome, userHome,
                Map.of("XDG_CONFIG_HOME", xdg.toString()), command -> Optional.empty());
        assertEquals(xdg.resolve("systemd/user/spec-kitty-sync.service"), installer.target());
    }

    @Test
    void systemdAnalyzeAcceptsTheUnit() throws Exception {
        Assumptions.assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed");
        Path unit = Files.writeString(tmp.resolve("spec-kitty-sync.service"), installer(ServiceKind.SYSTEMD).render());
        Process p = new ProcessBuilder("systemd-analyze", "verify", "--man=no", unit.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // Only complaints about this unit count; the sandbox's own system units are not ours to judge.
        List<String> ours = out.lines().filter(l -> l.contains("spec-kitty-sync.service")).toList();
        assertTrue(ours.isEmpty(), "systemd-analyze found problems:\n" + out);
    }

    @Test
    void launchdPlistIsWellFormedWithTheRequiredKeys() throws Exception {
        ServiceInstaller installer = installer(ServiceKind.LAUNCHD);
        assertEquals(userHome.resolve("Library/LaunchAgents/dev.speckitty.sync.plist"), installer.target());
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Element dict = (Element) factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(installer.render().getBytes(StandardCharsets.UTF_8)))
                .getDocumentElement().getElementsByTagName("dict").item(0);
        Map<String, Element> entries = topLevelEntries(dict);
        assertEquals("dev.speckitty.sync", entries.get("Label").getTextContent());
        assertEquals("true", entries.get("RunAtLoad").getTagName());
        assertEquals("true", entries.get("KeepAlive").getTagName());
        NodeList args = entries.get("ProgramArguments").getElementsByTagName("string");
        assertEquals(appHome.resolve("bin/spec-kitty").toString(), args.item(0).getTextContent());
        assertEquals("daemon", args.item(1).getTextContent());
        assertEquals("run", args.item(2).getTextContent());
        assertEquals(skHome.resolve("logs/launchd.out.log").toString(), entries.get("StandardOutPath").getTextContent());
        assertEquals(skHome.resolve("logs/launchd.err.log").toString(), entries.get("StandardErrorPath").getTextContent());
    }

    @Test
    void installIsIdempotentAndUninstallLeavesNothingBehind() throws Exception {
        for (ServiceKind kind : ServiceKind.values()) {
            ran.clear();
            ServiceInstaller installer = installer(kind);
            ServiceInstaller.Outcome first = installer.install();
            assertTrue(first.changed());
            assertTrue(installer.installed());
            assertEquals(kind.activate(installer.target()), ran);

            assertFalse(installer.install().changed(), "a second install must leave the file alone");

            ran.clear();
            assertTrue(installer.uninstall().changed());
            assertFalse(installer.installed());
            assertTrue(ran.containsAll(kind.deactivate(installer.target())), ran.toString());
            assertFalse(installer.uninstall().changed(), "uninstalling twice is not an error");
        }
        try (Stream<Path> left = Files.walk(userHome)) {
            List<Path> files = left.filter(Files::isRegularFile).toList();
            assertEquals(List.of(), files, "install + uninstall must leave no files in the user's home");
        }
    }

    @Test
    void failedServiceManagerCommandsAreReportedNotHidden() {
        ServiceInstaller installer = new ServiceInstaller(ServiceKind.SYSTEMD, appHome, skHome, userHome, Map.of(),
                command -> Optional.of("exit 1 (Failed to connect to bus)"));
        ServiceInstaller.Outcome outcome = installer.install();
        assertTrue(installer.installed());
        assertEquals(2, outcome.failedCommands().size(), outcome.toString());
        assertTrue(outcome.failedCommands().get(0).startsWith("systemctl --user daemon-reload: exit 1"));
    }

    private static Map<String, Element> topLevelEntries(Element dict) {
        Map<String, Element> entries = new HashMap<>();
        List<Element> children = new ArrayList<>();
        for (int i = 0; i < dict.getChildNodes().getLength(); i++) {
            if (dict.getChildNodes().item(i) instanceof Element e) {
                children.add(e);
            }
        }
        for (int i = 0; i + 1 < children.size(); i += 2) {
            entries.put(children.get(i).getTextContent(), children.get(i + 1));
        }
        return entries;
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
