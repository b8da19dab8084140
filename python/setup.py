"""Builds winnow's Python extension with CMake and packages it.

The extension (winnow._winnow) is the CMake target `winnow_python` of the
repository one level up (python/CMakeLists.txt). Two ways to get it:

- default: configure the repository in this package's build directory with
  the tests, benchmarks and everything else off, and build only that target
  (and the libraries it links);
- WINNOW_PREBUILT_EXTENSION=/path/to/_winnow.<abi>.so: copy an extension a
  regular build already made (`make build` builds it), as ctest does.

Environment: WINNOW_CMAKE_ARGS (extra configure arguments),
CMAKE_BUILD_PARALLEL_LEVEL (build jobs; default: all cores).
"""

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        dest = Path(self.get_ext_fullpath(ext.name))
        dest.parent.mkdir(parents=True, exist_ok=True)
        prebuilt = os.environ.get("WINNOW_PREBUILT_EXTENSION")
        if prebuilt and not os.path.isabs(prebuilt):
            # pip runs this script in its own working directory.
            raise RuntimeError("WINNOW_PREBUILT_EXTENSION must be an absolute path")
        built = Path(prebuilt) if prebuilt else self._cmake_build()
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        if not built.name.endswith(suffix):
            raise RuntimeError(
                f"{built} was not built for this Python (expected a name ending in {suffix})")
        shutil.copyfile(built, dest)

    def _cmake_build(self):
        if not (ROOT / "CMakeLists.txt").exists() or not (ROOT / "src").is_dir():
            raise RuntimeError(
                f"winnow's sources are not at {ROOT}: install from a checkout, "
                "e.g. `pip install --no-build-isolation ./python` in the repository")
        build = Path(self.build_temp).resolve() / "cmake"
        build.mkdir(parents=True, exist_ok=True)
        args = [
            "cmake", "-S", str(ROOT), "-B", str(build),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DWINNOW_PYTHON=ON",
            "-DWINNOW_BUILD_TESTS=OFF",
            "-DWINNOW_BUILD_BENCH=OFF",
            f"-DPython3_EXECUTABLE={sys.executable}",
        ]
        if shutil.which("ninja"):
            args += ["-G", "Ninja"]
        if shutil.which("ccache"):
            args.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
        args += shlex.split(os.environ.get("WINNOW_CMAKE_ARGS", ""))
        if not (build / "CMakeCache.txt").exists() or "WINNOW_CMAKE_ARGS" in os.environ:
            subprocess.run(args, check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", str(build), "--target", "winnow_python",
                        "-j", jobs], check=True)
        found = sorted((build / "python" / "winnow").glob("_winnow*" +
                                                           sysconfig.get_config_var("EXT_SUFFIX")))
        if not found:
            raise RuntimeError(f"CMake built no extension in {build / 'python' / 'winnow'}")
        return found[0]


setup(
    packages=["winnow"],
    ext_modules=[Extension("winnow._winnow", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
