"""In place of the amazon/aws-stepfunctions-local container: `stepwright serve` in a subprocess."""
import os
import shlex
import subprocess
import time
from pathlib import Path

import boto3
import pytest

HERE = Path(__file__).resolve().parent.parent
# The installed bin, not `npx stepwright`: terminate() must reach the server itself.
# The guide's own test points it at the sources.
STEPWRIGHT = shlex.split(os.environ.get("STEPWRIGHT", "node_modules/.bin/stepwright"))


@pytest.fixture(scope="session")
def sfn_endpoint():
    server = subprocess.Popen(
        [*STEPWRIGHT, "serve", "--port", "0", "--time-scale", "100",
         "--mock-config", str(HERE / "MockConfigFile.json")],
        stdout=subprocess.PIPE, text=True,
    )
    endpoint = server.stdout.readline().strip()  # the first line is the URL, once it listens
    if not endpoint.startswith("http://"):
        server.kill()
        pytest.fail(f"stepwright serve did not start: {endpoint!r}")
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(scope="session")
def sfn_client(sfn_endpoint):
    client = boto3.client(
        "stepfunctions", endpoint_url=sfn_endpoint, region_name="us-east-1",
        aws_access_key_id="local", aws_secret_access_key="local",
    )
    client.create_state_machine(
        name="LambdaSQSIntegration",
        definition=(HERE / "state-machine.asl.json").read_text(encoding="utf-8"),
        roleArn="arn:aws:iam::123456789012:role/DummyRole",
    )
    return client


def run(sfn_client, test_case):
    arn = sfn_client.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    execution = sfn_client.start_execution(stateMachineArn=f"{arn}#{test_case}", input='{"data": "test input"}')
    for _ in range(500):
        events = sfn_client.get_execution_history(executionArn=execution["executionArn"])["events"]
        if any(e["type"] in ("ExecutionSucceeded", "ExecutionFailed") for e in events):
            return events
        time.sleep(0.01)
    raise AssertionError(f"{execution['executionArn']} did not end")


def test_happy_path(sfn_client):
    events = run(sfn_client, "HappyPath")
    assert [e["type"] for e in events].count("TaskSucceeded") == 2


def test_retry_path(sfn_client):
    events = run(sfn_client, "RetryPath")
    errors = [e["taskFailedEventDetails"]["error"] for e in events if e["type"] == "TaskFailed"]
    assert errors == ["Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException"]
