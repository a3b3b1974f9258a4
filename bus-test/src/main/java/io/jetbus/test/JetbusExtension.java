package io.jetbus.test;

import io.jetbus.api.Connection;
import io.jetbus.api.jetstream.StorageType;
import io.jetbus.core.EmbeddedBus;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The JUnit 5 extension behind {@link JetbusTest}: a {@link JetbusKit} per test, injected into parameters and fields,
 * closed after the test, then the checks. Register it through the annotation.
 */
public final class JetbusExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver
{
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(JetbusExtension.class);
    private static final List<Class<?>> INJECTABLE = List.of(JetbusKit.class, EmbeddedBus.class, Connection.class,
        VirtualClock.class, BusEvents.class, JetStreamInspector.class);

    static final String HINT = "(provoked on purpose? assert on BusEvents and call clear(), or switch the check off " +
        "in @JetbusTest)";

    /**
     * Created by JUnit.
     */
    public JetbusExtension()
    {
    }

    @Override
    public void beforeEach(final ExtensionContext context) throws Exception
    {
        final JetbusTest settings = settings(context);
        final Set<Thread> threadsBefore = ResourceLeaks.jetbusThreads();
        final Path storageDir = settings.storage() == StorageType.FILE ?
            Files.createTempDirectory("jetbus-test-") : null;
        final JetbusKit.Builder builder = JetbusKit.builder()
            .virtualTime(settings.virtualTime())
            .customize(customizer(settings)::customize);
        if (storageDir != null)
        {
            builder.storageDir(storageDir);
        }
        final JetbusKit kit;
        try
        {
            kit = builder.build();
        }
        catch (final RuntimeException | Error ex)
        {
            if (storageDir != null)
            {
                ResourceLeaks.deleteTree(storageDir);
            }
            throw ex;
        }
        final State state = new State(settings, kit, threadsBefore, storageDir);
        context.getStore(NAMESPACE).put(State.class, state);
        injectFields(context, state);
    }

    @Override
    public void afterEach(final ExtensionContext context)
    {
        final State state = context.getStore(NAMESPACE).remove(State.class, State.class);
        if (state == null)
        {
            return;
        }
        state.clearFields();
        final List<String> problems = state.finish();
        if (problems.isEmpty())
        {
            return;
        }
        final JetbusTest settings = state.settings;
        final List<Throwable> causes = state.kit.events().causes(settings.failOnHandlerException(),
            settings.failOnHandlerException());
        final StringBuilder message = new StringBuilder()
            .append("Jetbus test kit found ").append(problems.size())
            .append(problems.size() == 1 ? " problem" : " problems").append(" in ").append(testName(context))
            .append(':');
        for (final String problem : problems)
        {
            message.append("\n  - ").append(problem);
        }
        message.append("\n").append(HINT);
        final AssertionError failure = new AssertionError(message.toString(), causes.isEmpty() ? null : causes.get(0));
        for (int i = 1; i < causes.size(); i++)
        {
            failure.addSuppressed(causes.get(i));
        }
        throw failure;
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext)
    {
        return INJECTABLE.contains(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(final ParameterContext parameterContext, final ExtensionContext extensionContext)
    {
        final Class<?> type = parameterContext.getParameter().getType();
        final State state = extensionContext.getStore(NAMESPACE).get(State.class, State.class);
        if (state == null)
        {
            throw new ParameterResolutionException("no Jetbus bus to inject into " +
                parameterContext.getDeclaringExecutable() + ": the bus is made per test, so only test methods, " +
                "@BeforeEach and @AfterEach methods and fields can receive a " + type.getSimpleName());
        }
        if (type == VirtualClock.class && !state.kit.hasVirtualTime())
        {
            throw new ParameterResolutionException("no VirtualClock to inject into " +
                parameterContext.getDeclaringExecutable() + ": the test runs with @JetbusTest(virtualTime = false)");
        }
        return state.resolve(type);
    }

    private static String testName(final ExtensionContext context)
    {
        return context.getTestMethod()
            .map(m -> context.getRequiredTestClass().getSimpleName() + "." + m.getName() + "()")
            .orElse(context.getDisplayName());
    }

    private static JetbusTest settings(final ExtensionContext context)
    {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null))
        {
            final Optional<JetbusTest> found = AnnotationSupport.findAnnotation(c.getElement(), JetbusTest.class);
            if (found.isPresent())
            {
                return found.get();
            }
        }
        return Defaults.class.getAnnotation(JetbusTest.class);
    }

    private static BusCustomizer customizer(final JetbusTest settings)
    {
        try
        {
            return ReflectionSupport.newInstance(settings.customizer());
        }
        catch (final RuntimeException ex)
        {
            throw new ExtensionConfigurationException("cannot create the BusCustomizer " +
                settings.customizer().getName() + ": it needs a public no-argument constructor", ex);
        }
    }

    private static void injectFields(final ExtensionContext context, final State state) throws IllegalAccessException
    {
        for (final Object instance : context.getRequiredTestInstances().getAllInstances())
        {
            final List<Field> fields = ReflectionSupport.findFields(instance.getClass(),
                f -> INJECTABLE.contains(f.getType()) && !Modifier.isStatic(f.getModifiers()) &&
                    !Modifier.isFinal(f.getModifiers()),
                HierarchyTraversalMode.TOP_DOWN);
            for (final Field field : fields)
            {
                field.setAccessible(true);
                if (field.get(instance) == null &&
                    (field.getType() != VirtualClock.class || state.kit.hasVirtualTime()))
                {
                    field.set(instance, state.resolve(field.getType()));
                    state.injected.add(new InjectedField(instance, field));
                }
            }
        }
    }

    @JetbusTest
    private static final class Defaults
    {
    }

    private record InjectedField(Object instance, Field field)
    {
    }

    /** One test's kit and what the checks need; closed by the store too, should afterEach not run. */
    private static final class State implements AutoCloseable
    {
        final JetbusTest settings;
        final JetbusKit kit;
        final Set<Thread> threadsBefore;
        final Path storageDir;
        final List<InjectedField> injected = new ArrayList<>();
        private boolean finished;

        State(final JetbusTest settings, final JetbusKit kit, final Set<Thread> threadsBefore, final Path storageDir)
        {
            this.settings = settings;
            this.kit = kit;
            this.threadsBefore = threadsBefore;
            this.storageDir = storageDir;
        }

        Object resolve(final Class<?> type)
        {
            if (type == JetbusKit.class)
            {
                return kit;
            }
            if (type == EmbeddedBus.class)
            {
                return kit.bus();
            }
            if (type == Connection.class)
            {
                return kit.connection();
            }
            if (type == VirtualClock.class)
            {
                return kit.clock();
            }
            if (type == BusEvents.class)
            {
                return kit.events();
            }
            return kit.jetStream();
        }

        void clearFields()
        {
            for (final InjectedField f : injected)
            {
                try
                {
                    f.field().set(f.instance(), null);
                }
                catch (final IllegalAccessException ex)
                {
                    throw new IllegalStateException("cannot clear field " + f.field(), ex);
                }
            }
            injected.clear();
        }

        /** Close the kit, run the checks, delete the storage directory; the problems found, as lines. */
        synchronized List<String> finish()
        {
            if (finished)
            {
                return List.of();
            }
            finished = true;
            kit.close();
            final List<String> problems = new ArrayList<>(kit.events().problems(
                settings.failOnHandlerException(), settings.failOnDroppedMessage(), settings.failOnHandlerException()));
            if (settings.failOnLeakedThread())
            {
                problems.addAll(ResourceLeaks.leakedThreads(threadsBefore));
            }
            if (storageDir != null)
            {
                if (settings.failOnLeakedFile())
                {
                    problems.addAll(ResourceLeaks.openFiles(storageDir));
                }
                final List<String> undeleted = ResourceLeaks.deleteTree(storageDir);
                if (settings.failOnLeakedFile())
                {
                    problems.addAll(undeleted);
                }
            }
            return problems;
        }

        @Override
        public void close()
        {
            finish();
        }
    }
}
