"""tests/mpi/common.py — what the MPI tests (compare.py, faults.py) share:
finding mpirun and the environment it runs agree in."""
import os, shutil


def launcher():
    """mpirun (or mpiexec) on PATH, or None."""
    return shutil.which("mpirun") or shutil.which("mpiexec")


def environment():
    """Open MPI as root (CI runs as root) and with more ranks than cores."""
    return dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                OMPI_MCA_rmaps_base_oversubscribe="1")


def ranks(mpirun, k):
    """The start of a command line that runs a program on k ranks of this machine."""
    return [mpirun, "--oversubscribe", "-np", str(k)]
