#!/usr/bin/env node
import { App, Aspects } from 'aws-cdk-lib';
import { StateMachineValidator } from 'stepwright';
import { VacationStack } from '../lib/vacation-stack';

const app = new App();
new VacationStack(app, 'VacationBooking');
// `cdk synth` fails on a definition AWS would reject, and warns on risky ones.
Aspects.of(app).add(new StateMachineValidator());
app.synth();
