package dev.sgw.core.access;

import dev.sgw.core.manage.UserMapping;
import dev.sgw.core.volume.Caller;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallerMappingTest {
    private static CallerMapping mapping(UserMapping m) {
        return new CallerMapping(m, 65534, 65533);
    }

    @Test
    void noneKeepsTheIdsRootIncluded() {
        Caller c = mapping(UserMapping.NONE).map(0, 0, new int[] {0, 7});
        assertThat(c.uid()).isZero();
        assertThat(c.gids()).containsExactly(0, 7);
    }

    @Test
    void rootSquashMapsOnlyRootIds() {
        Caller root = mapping(UserMapping.ROOT_SQUASH).map(0, 0, new int[] {0, 7});
        assertThat(root.uid()).isEqualTo(65534);
        assertThat(root.gid()).isEqualTo(65533);
        assertThat(root.gids()).containsExactly(65533, 7);
        Caller user = mapping(UserMapping.ROOT_SQUASH).map(1000, 100, new int[] {0});
        assertThat(user.uid()).isEqualTo(1000);
        assertThat(user.gids()).containsExactly(65533);
    }

    @Test
    void allSquashAndAllAnonymousMakeEveryoneAnonymous() {
        for (UserMapping m : new UserMapping[] {UserMapping.ALL_SQUASH, UserMapping.ALL_ANONYMOUS}) {
            Caller c = mapping(m).map(1000, 100, new int[] {5});
            assertThat(c.uid()).isEqualTo(65534);
            assertThat(c.gid()).isEqualTo(65533);
            assertThat(c.gids()).isEmpty();
        }
        assertThat(mapping(UserMapping.NONE).anonymous().uid()).isEqualTo(65534);
    }

    @Test
    void onlyAllAnonymousIgnoresOwnerChanges() {
        assertThat(mapping(UserMapping.ALL_ANONYMOUS).ignoresOwnerChanges()).isTrue();
        assertThat(mapping(UserMapping.ALL_SQUASH).ignoresOwnerChanges()).isFalse();
        assertThat(mapping(UserMapping.ROOT_SQUASH).ignoresOwnerChanges()).isFalse();
        assertThat(mapping(UserMapping.NONE).ignoresOwnerChanges()).isFalse();
    }
}
